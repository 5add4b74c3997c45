// What the staff screens read of their organisation's shelters, and how they stay current (live events refetch).
import { useCallback, useEffect, useRef } from 'react';
import { useQuery } from 'urql';
import { useLive } from '../app/live';
import { graphql } from '../gql';
import type { StaffMySheltersQuery } from '../gql/graphql';
import { onFlushed } from './queue-store';

export const MyShelters = graphql(`
  query StaffMyShelters {
    shelters(mine: true, first: 50) {
      edges {
        node {
          id
          name
          regionId
          timeZone
          stale
          status
          availabilityVerifiedAt
          intakeInstructions
          pools {
            id
            bedType
            capacity
            available
            occupied
            held
            outOfService
            version
            updatedAt
          }
        }
      }
    }
  }
`);

export type MyShelter = StaffMySheltersQuery['shelters']['edges'][number]['node'];
export type MyPool = MyShelter['pools'][number];

const BED_CHANGES = `subscription StaffBedChanges($regionId: ID!) {
  bedAvailabilityChanged(regionId: $regionId) { poolId shelterId version }
}`;

/** One live subscription per region of the organisation's shelters: any change there refetches. */
function RegionLive({ regionId, onChange, own }: { regionId: string; onChange: () => void; own: Set<string> }) {
  useLive<{ bedAvailabilityChanged: { shelterId: string } }>(BED_CHANGES, { regionId }, (data) => {
    // null: a reconnection, when events may have been missed
    if (!data || own.has(data.bedAvailabilityChanged.shelterId)) onChange();
  });
  return null;
}

/** The organisation's shelters and pools, refetched on live changes and after the queue sent something. */
export function useMyShelters() {
  const [result, reexecute] = useQuery({ query: MyShelters });
  const refetch = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useEffect(
    () =>
      onFlushed((outcome) => {
        if (outcome.sent > 0 || outcome.refused > 0) refetch();
      }),
    [refetch],
  );
  // a refetch that fails (offline) keeps what was shown: the counts as last read, with the queue beside them
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;
  const shelters = data?.shelters.edges.map((e) => e.node) ?? [];
  const regions = [...new Set(shelters.map((s) => s.regionId))];
  const own = new Set(shelters.map((s) => s.id));
  const live = regions.map((regionId) => (
    <RegionLive key={regionId} regionId={regionId} onChange={refetch} own={own} />
  ));
  return { result, data, shelters, refetch, live };
}
