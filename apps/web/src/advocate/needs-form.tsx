// The needs form: what is required first (age, gender, trafficking types, urgency, approximate place), the optional
// details in a section that starts closed. Controlled by the page, which keeps the values in React state only.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useEnumLabel, useLanguageName } from '../app/labels';
import {
  GENDERS,
  IMMIGRATION_STATUSES,
  LANGUAGE_CODES,
  SERVICES,
  SUBSTANCE_USE,
  TRAFFICKING_TYPES,
  URGENCIES,
  type FieldError,
  type NeedsForm,
  type Place,
} from './needs';

export interface RegionOption {
  id: string;
  name: string;
  parentId: string | null;
}

interface Props {
  form: NeedsForm;
  onChange: (next: NeedsForm) => void;
  errors: FieldError[];
  regions: RegionOption[];
  places: Place[];
}

const errorId = (field: string) => `needs-${field}-error`;

function FieldErrorText({ field, errors }: { field: keyof NeedsForm; errors: FieldError[] }) {
  const { t } = useTranslation('advocate');
  const found = errors.find((e) => e.field === field);
  if (!found) return null;
  return (
    <span id={errorId(field)} className="error">
      {t(`needs.errors.${found.error}`)}
    </span>
  );
}

/** aria attributes of a control whose field may be wrong; the hint is described too. */
function described(field: keyof NeedsForm, errors: FieldError[], hintId?: string) {
  const invalid = errors.some((e) => e.field === field);
  const ids = [hintId, invalid ? errorId(field) : undefined].filter(Boolean).join(' ');
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': ids || undefined };
}

function CheckboxGroup<T extends string>({
  legend,
  field,
  values,
  chosen,
  label,
  onToggle,
  errors,
  required,
}: {
  legend: string;
  field: keyof NeedsForm;
  values: readonly T[];
  chosen: readonly T[];
  label: (value: T) => string;
  onToggle: (value: T, on: boolean) => void;
  errors: FieldError[];
  required?: boolean;
}) {
  const { t } = useTranslation('advocate');
  const invalid = errors.some((e) => e.field === field);
  return (
    <fieldset id={`needs-${field}`} aria-describedby={invalid ? errorId(field) : undefined}>
      <legend>
        {legend}
        {required && <span className="muted"> ({t('needs.required')})</span>}
      </legend>
      <div className="row">
        {values.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="checkbox"
              name={field}
              value={value}
              checked={chosen.includes(value)}
              onChange={(e) => onToggle(value, e.target.checked)}
            />
            {label(value)}
          </label>
        ))}
      </div>
      <FieldErrorText field={field} errors={errors} />
    </fieldset>
  );
}

function Field({ children }: { children: ReactNode }) {
  return <div className="field">{children}</div>;
}

export function NeedsFields({ form, onChange, errors, regions, places }: Props) {
  const { t } = useTranslation('advocate');
  const label = useEnumLabel();
  const languageName = useLanguageName();
  const set = <K extends keyof NeedsForm>(key: K, value: NeedsForm[K]) => onChange({ ...form, [key]: value });
  const toggle = <T extends string>(key: keyof NeedsForm, list: readonly T[], value: T, on: boolean) =>
    set(key, (on ? [...list, value] : list.filter((v) => v !== value)) as never);
  const enumLabel = (name: Parameters<typeof label>[0]) => (value: string) => label(name, value) ?? value;

  const regionName = new Map(regions.map((r) => [r.id, r.name]));
  const byRegion = [...regions].sort((a, b) => a.name.localeCompare(b.name));
  const towns = (regionId: string) =>
    places.filter((p) => p.regionId === regionId && p.town).sort((a, b) => a.town!.localeCompare(b.town!));

  return (
    <>
      <fieldset>
        <legend>{t('needs.requiredLegend')}</legend>
        <p className="muted" id="needs-required-hint">
          {t('needs.requiredHint')}
        </p>
        <Field>
          <label htmlFor="needs-age">
            {t('needs.age')} <span className="muted">({t('needs.required')})</span>
          </label>
          <input
            id="needs-age"
            name="age"
            inputMode="numeric"
            autoComplete="off"
            required
            size={4}
            value={form.age}
            onChange={(e) => set('age', e.target.value)}
            {...described('age', errors)}
          />
          <FieldErrorText field="age" errors={errors} />
        </Field>
        <Field>
          <label htmlFor="needs-gender">
            {t('needs.gender')} <span className="muted">({t('needs.required')})</span>
          </label>
          <select
            id="needs-gender"
            name="gender"
            required
            value={form.gender}
            onChange={(e) => set('gender', e.target.value as NeedsForm['gender'])}
            {...described('gender', errors)}
          >
            <option value="">{t('needs.choose')}</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {label('Gender', g)}
              </option>
            ))}
          </select>
          <FieldErrorText field="gender" errors={errors} />
        </Field>
        <CheckboxGroup
          legend={t('needs.traffickingTypes')}
          field="traffickingTypes"
          values={TRAFFICKING_TYPES}
          chosen={form.traffickingTypes}
          label={enumLabel('TraffickingType')}
          onToggle={(v, on) => toggle('traffickingTypes', form.traffickingTypes, v, on)}
          errors={errors}
          required
        />
        <fieldset id="needs-urgency" role="radiogroup" aria-required="true" {...described('urgency', errors)}>
          <legend>
            {t('needs.urgency')} <span className="muted">({t('needs.required')})</span>
          </legend>
          <div className="row">
            {URGENCIES.map((u) => (
              <label key={u} className="checkbox">
                <input
                  type="radio"
                  name="urgency"
                  value={u}
                  checked={form.urgency === u}
                  onChange={() => set('urgency', u)}
                />
                {label('Urgency', u)}
              </label>
            ))}
          </div>
          <FieldErrorText field="urgency" errors={errors} />
        </fieldset>
        <Field>
          <label htmlFor="needs-place">
            {t('needs.place')} <span className="muted">({t('needs.required')})</span>
          </label>
          <span className="hint" id="needs-place-hint">
            {t('needs.placeHint')}
          </span>
          <select
            id="needs-place"
            name="place"
            required
            value={form.place}
            onChange={(e) => set('place', e.target.value)}
            {...described('place', errors, 'needs-place-hint')}
          >
            <option value="">{t('needs.choose')}</option>
            {byRegion.map((r) => (
              <optgroup key={r.id} label={r.name}>
                <option value={`region:${r.id}`}>{t('needs.anywhereIn', { region: r.name })}</option>
                {towns(r.id).map((p) => (
                  <option key={p.key} value={p.key}>
                    {t('needs.townIn', { town: p.town, region: regionName.get(p.regionId) ?? '' })}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldErrorText field="place" errors={errors} />
        </Field>
      </fieldset>

      <details className="card advocate-details">
        <summary>{t('needs.optionalLegend')}</summary>
        <p className="muted">{t('needs.optionalHint')}</p>
        <Field>
          <label htmlFor="needs-childrenAges">{t('needs.childrenAges')}</label>
          <span className="hint" id="needs-childrenAges-hint">
            {t('needs.childrenAgesHint')}
          </span>
          <input
            id="needs-childrenAges"
            name="childrenAges"
            autoComplete="off"
            value={form.childrenAges}
            onChange={(e) => set('childrenAges', e.target.value)}
            {...described('childrenAges', errors, 'needs-childrenAges-hint')}
          />
          <FieldErrorText field="childrenAges" errors={errors} />
        </Field>
        <CheckboxGroup
          legend={t('needs.languages')}
          field="languages"
          values={LANGUAGE_CODES}
          chosen={form.languages}
          label={languageName}
          onToggle={(v, on) => toggle('languages', form.languages, v, on)}
          errors={errors}
        />
        <fieldset>
          <legend>{t('needs.situation')}</legend>
          {(
            [
              'wheelchairUser',
              'hasPets',
              'lgbtqAffirmingRequired',
              'willingToInvolveLawEnforcement',
              'hasTraffickingRelatedRecord',
              'requiresVoluntaryProgramming',
              'cannotKeepCurfew',
            ] as const
          ).map((key) => (
            <label key={key} className="checkbox">
              <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
              {t(`needs.flags.${key}`)}
            </label>
          ))}
          <label className="checkbox">
            <input
              type="checkbox"
              name="hasIdDocuments"
              checked={!form.hasIdDocuments}
              onChange={(e) => set('hasIdDocuments', !e.target.checked)}
            />
            {t('needs.flags.noIdDocuments')}
          </label>
        </fieldset>
        <Field>
          <label htmlFor="needs-substanceUse">{t('needs.substanceUse')}</label>
          <select
            id="needs-substanceUse"
            name="substanceUse"
            value={form.substanceUse}
            onChange={(e) => set('substanceUse', e.target.value as NeedsForm['substanceUse'])}
          >
            {SUBSTANCE_USE.map((v) => (
              <option key={v} value={v}>
                {label('SubstanceUse', v)}
              </option>
            ))}
          </select>
        </Field>
        <Field>
          <label htmlFor="needs-immigrationStatus">{t('needs.immigrationStatus')}</label>
          <select
            id="needs-immigrationStatus"
            name="immigrationStatus"
            value={form.immigrationStatus}
            onChange={(e) => set('immigrationStatus', e.target.value as NeedsForm['immigrationStatus'])}
          >
            {IMMIGRATION_STATUSES.map((v) => (
              <option key={v} value={v}>
                {label('ImmigrationStatus', v)}
              </option>
            ))}
          </select>
        </Field>
        <Field>
          <label htmlFor="needs-minimumStayDays">{t('needs.minimumStayDays')}</label>
          <input
            id="needs-minimumStayDays"
            name="minimumStayDays"
            inputMode="numeric"
            autoComplete="off"
            size={5}
            value={form.minimumStayDays}
            onChange={(e) => set('minimumStayDays', e.target.value)}
            {...described('minimumStayDays', errors)}
          />
          <FieldErrorText field="minimumStayDays" errors={errors} />
        </Field>
        <CheckboxGroup
          legend={t('needs.servicesNeeded')}
          field="servicesNeeded"
          values={SERVICES}
          chosen={form.servicesNeeded}
          label={enumLabel('ShelterService')}
          onToggle={(v, on) => toggle('servicesNeeded', form.servicesNeeded, v, on)}
          errors={errors}
        />
        <Field>
          <label htmlFor="needs-radiusKm">{t('needs.radiusKm')}</label>
          <span className="hint" id="needs-radiusKm-hint">
            {t('needs.radiusKmHint')}
          </span>
          <input
            id="needs-radiusKm"
            name="radiusKm"
            inputMode="decimal"
            autoComplete="off"
            size={5}
            value={form.radiusKm}
            onChange={(e) => set('radiusKm', e.target.value)}
            {...described('radiusKm', errors, 'needs-radiusKm-hint')}
          />
          <FieldErrorText field="radiusKm" errors={errors} />
        </Field>
        <CheckboxGroup
          legend={t('needs.excludedRegions')}
          field="excludedRegionIds"
          values={byRegion.map((r) => r.id)}
          chosen={form.excludedRegionIds}
          label={(id) => regionName.get(id) ?? id}
          onToggle={(v, on) => toggle('excludedRegionIds', form.excludedRegionIds, v, on)}
          errors={errors}
        />
      </details>
    </>
  );
}
