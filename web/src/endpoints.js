// Paths of the API's endpoints that screens build from ids (docs/openapi.yaml).
// The estimate, registries and review endpoints are being added by other
// parts of ctip: until the server has one, its screen says "not offered
// yet" (a 404 for the path itself); keep these in step with openapi.yaml.
export const EP = {
  nrm: (pid) => `/persons/${pid}/nrm`, // GET status: stage, allowed_actions, missing, child_protection, reflection_period (ETag)
  transitions: (pid) => `/persons/${pid}/transitions`, // GET history; POST {action, reason}, If-Match
  screenings: (pid) => `/persons/${pid}/screenings`, // GET; POST {checklist, list, items, note}
  screeningReport: (pid) => `/persons/${pid}/screenings/report`, // GET the latest, dimension by dimension
  referrals: (pid) => `/persons/${pid}/referrals`, // GET; POST {service, provider, date, note}
  referralStatus: (rid) => `/referrals/${rid}/status`, // POST {status, reason}, If-Match
  consents: (pid) => `/persons/${pid}/consents`, // GET; POST {purpose, recipient_type, recipient, date}
  consentWithdraw: (cid) => `/consents/${cid}/withdrawal`, // POST {reason}
  childMeasures: (pid) => `/persons/${pid}/child-measures`, // GET; POST {kind: guardian|best_interests}
  stats: (name) => `/stats/${name}`, // GET tables (?from&to&by&publish: docs/statistics.md), registries
  estimate: '/estimate', // GET (?replicates=true)
  registries: (kind) => `/registries/${kind}`, // missing | placements | institutions
  review: '/review', // GET; items side by side with evidence
  reviewDecision: (id) => `/review/${id}/decisions`, // POST {action: confirm|reject|undo, reason}, If-Match
};
