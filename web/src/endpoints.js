// Paths of endpoints that other parts of ctip are still adding to the API
// (NRM actions, statistics, estimation, registries, review queue). Each
// screen that uses one says "not available yet" while the server answers
// 404 for it. Keep these in step with docs/openapi.yaml as they land.
export const EP = {
  transitions: (pid) => `/persons/${pid}/transitions`, // POST {action, reason, date} (issue 3)
  nrm: (pid) => `/persons/${pid}/nrm`, // GET stage, actions possible, reflection period, child gates
  screenings: (pid) => `/persons/${pid}/screenings`, // GET, POST {checklist, list, items, note}
  referrals: (pid) => `/persons/${pid}/referrals`, // GET, POST {service, provider, date, note}
  referralStatus: (rid) => `/referrals/${rid}/status`, // POST {status, date, reason}
  consents: (pid) => `/persons/${pid}/consents`, // GET, POST {purpose, recipient_type, recipient, date}
  consentWithdraw: (cid) => `/consents/${cid}/withdrawal`, // POST {date, reason}
  childMeasures: (pid) => `/persons/${pid}/child-measures`, // POST {kind: guardian|best_interests, date, note}
  checklists: '/codes', // checklists as code lists when served (ilo_ec, unodc)
  stats: (name) => `/stats/${name}`, // GET tables (?from&to&by&publish: docs/statistics.md), registries
  estimate: '/estimate', // GET ?lists=agency&replicates=true
  registries: (kind) => `/registries/${kind}`, // missing | placements | institutions
  review: '/review', // GET (docs/review.md); items {id, kind, status, version, a, b, evidence, probability}
  reviewDecision: (id) => `/review/${id}/decisions`, // POST {action: confirm|reject|undo, reason}, If-Match
};
