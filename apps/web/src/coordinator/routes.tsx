import { Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../app/page';
import { NotFound } from '../app/status-pages';

function Home() {
  const { t } = useTranslation();
  return <Page title={t('app.name')} />;
}

export default function CoordinatorApp() {
  return (
    <Routes>
      <Route index element={<Home />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
