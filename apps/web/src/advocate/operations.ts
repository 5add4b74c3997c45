// Every GraphQL operation of the advocate's screens. None of the list's operations asks for `identity`: only the
// referral's own page knows whether one was given (hasIdentity), and no screen reads it back.
import { graphql } from '../gql';

/** Places to choose from: the region tree, and the directory's towns (public approximate points, never addresses). */
export const AdvocatePlacesQuery = graphql(`
  query AdvocatePlaces($after: String) {
    regions {
      id
      name
      parentId
    }
    shelters(first: 100, after: $after) {
      edges {
        node {
          id
          city
          regionId
          approximateLocation {
            latitude
            longitude
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const AdvocatePreviewQuery = graphql(`
  query AdvocatePreview($needs: NeedsInput!) {
    searchBeds(needs: $needs, first: 10) {
      examinedShelters
      excludedShelters
      matches {
        rank
        poolId
        bedType
        available
        distanceKm
        stale
        acceptingIntakesNow
        intakeOpensInMinutes
        languageViaInterpretation
        servicesMissing
        availabilityVerifiedAt
        shelter {
          id
          name
          city
          services
        }
      }
      exclusions {
        reason
        shelters
      }
      nearMisses {
        reason
        shelters
      }
    }
  }
`);

export const SubmitReferralMutation = graphql(`
  mutation AdvocateSubmitReferral($input: SubmitReferralInput!, $idempotencyKey: String) {
    submitReferral(input: $input, idempotencyKey: $idempotencyKey) {
      id
      referenceCode
      state
      consentDeadline
    }
  }
`);

export const RecordConsentMutation = graphql(`
  mutation AdvocateRecordConsent($referralId: ID!, $input: RecordConsentInput!, $idempotencyKey: String) {
    recordConsent(referralId: $referralId, input: $input, idempotencyKey: $idempotencyKey) {
      id
      state
    }
  }
`);

export const RevokeConsentMutation = graphql(`
  mutation AdvocateRevokeConsent($consentId: ID!, $idempotencyKey: String) {
    revokeConsent(consentId: $consentId, idempotencyKey: $idempotencyKey) {
      id
      state
    }
  }
`);

export const WithdrawReferralMutation = graphql(`
  mutation AdvocateWithdrawReferral($referralId: ID!, $reason: String, $idempotencyKey: String) {
    withdrawReferral(referralId: $referralId, reason: $reason, idempotencyKey: $idempotencyKey) {
      id
      state
    }
  }
`);

export const ReferralTimelineQuery = graphql(`
  query AdvocateReferralTimeline($id: ID!) {
    referral(id: $id) {
      id
      referenceCode
      state
      urgency
      submittedAt
      updatedAt
      closedAt
      consentDeadline
      hasIdentity
      needs {
        age
        gender
        traffickingTypes
        urgency
        childrenAges
        languages
      }
      consents {
        id
        scopes
        method
        recordedAt
        expiresAt
        revokedAt
        recipientShelterId
      }
      offers {
        id
        shelterId
        shelterName
        status
        offeredAt
        respondBy
        holdExpiresAt
        closedAt
        closedReason
        intakeInstructions
      }
      events {
        fromState
        toState
        occurredAt
        reasonCode
      }
    }
  }
`);

export const ReferralUpdatedSubscription = `subscription AdvocateReferralUpdated($referralId: ID!) {
  referralUpdated(referralId: $referralId) { referralId state occurredAt reasonCode }
}`;

export const AgencyReferralsQuery = graphql(`
  query AdvocateAgencyReferrals($first: Int!, $after: String, $state: ReferralState) {
    referrals(first: $first, after: $after, state: $state) {
      edges {
        cursor
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const ReferralRowFragment = graphql(`
  fragment AdvocateReferralRow on Referral {
    id
    referenceCode
    state
    urgency
    submittedAt
    updatedAt
  }
`);

/** Every open referral, whatever its age (one page per open state): these come first. */
export const OpenReferralsQuery = graphql(`
  query AdvocateOpenReferrals {
    awaitingConsent: referrals(state: AWAITING_CONSENT, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    submitted: referrals(state: SUBMITTED, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    matching: referrals(state: MATCHING, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    offered: referrals(state: OFFERED, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    accepted: referrals(state: ACCEPTED, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    waitlisted: referrals(state: WAITLISTED, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
    placed: referrals(state: PLACED, first: 30) {
      edges {
        node {
          ...AdvocateReferralRow
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);
