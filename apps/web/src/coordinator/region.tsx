// The coordinator's regions (assigned ones and those below them) and the region a screen shows: `?region=<id>` or
// `/regions/:id`, else the first region in scope. A region outside the scope is left to the API to refuse
// (NOT_FOUND), so the screen shows "not found" without hinting that it exists.
import { useId, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';
import { regionsInScope } from './logic';

const CoordinatorRegions = graphql(`
  query CoordinatorRegions {
    me {
      id
      role
      regions {
        id
      }
    }
    regions {
      id
      name
      code
      parentId
    }
  }
`);

export interface ScopedRegion {
  id: string;
  name: string;
  code: string;
  depth: number;
}

export function useRegionScope(): { regions: ScopedRegion[]; fetching: boolean; failed: boolean } {
  const [{ data, fetching, error }] = useQuery({ query: CoordinatorRegions });
  const regions = useMemo(() => {
    if (!data) return [];
    // admins see every region; coordinators their own and below
    const assigned = data.me.role === 'ADMIN' ? data.regions.map((r) => r.id) : data.me.regions.map((r) => r.id);
    return regionsInScope(data.regions, assigned);
  }, [data]);
  return { regions, fetching: fetching && !data, failed: Boolean(error) && !data };
}

/** The region id the screen shows, and a way to pick another (kept in the URL, so a link or a reload keeps it). */
export function useSelectedRegion(): {
  regionId: string | null;
  regions: ScopedRegion[];
  loading: boolean;
  failed: boolean;
  /** The URL names a region outside the coordinator's scope (or none that exists): the screen is "not found". */
  outOfScope: boolean;
  select: (id: string) => void;
} {
  const params = useParams<{ regionId?: string }>();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const scope = useRegionScope();
  const fromUrl = params.regionId ?? (search.get('region') || null);
  const regionId = fromUrl ?? scope.regions[0]?.id ?? null;
  const select = (id: string) => {
    if (params.regionId) {
      void navigate(`/coordinator?region=${encodeURIComponent(id)}`);
      return;
    }
    const next = new URLSearchParams(search);
    next.set('region', id);
    setSearch(next);
  };
  const outOfScope =
    !scope.fetching && !scope.failed && regionId !== null && !scope.regions.some((r) => r.id === regionId);
  return { regionId, regions: scope.regions, loading: scope.fetching, failed: scope.failed, outOfScope, select };
}

export function RegionPicker({
  regions,
  value,
  onChange,
}: {
  regions: ScopedRegion[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation('coordinator');
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('region.label')}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {regions.map((r) => (
          <option key={r.id} value={r.id}>
            {'\u00a0\u00a0'.repeat(r.depth)}
            {r.name}
          </option>
        ))}
      </select>
    </div>
  );
}
