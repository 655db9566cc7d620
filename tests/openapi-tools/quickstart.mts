// The README's quick start through a client generated from the server's OpenAPI document by
// openapi-typescript (types) and openapi-fetch (calls): nothing here is written by hand for Leasehold.
// OpenApiClientTests generates leasehold.d.ts (beside a copy of this file, in generated/<run>/) from the live /openapi/v1.json, type-checks
// this program against it with tsc, and runs it against a real server process.
//   LEASEHOLD_URL  the server's address       LEASEHOLD_KEY  an operator key
import createClient from "openapi-fetch";
import type { components, paths } from "./leasehold.js";

type ProblemCode = components["schemas"]["ProblemCode"];
type Session = components["schemas"]["SessionResponse"];

const baseUrl = process.env.LEASEHOLD_URL ?? "http://localhost:5000";
const operatorKey = process.env.LEASEHOLD_KEY ?? "";

function client(key: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${key}` } });
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`Failed: ${what}`);
}

function say(step: string, value: unknown) {
  console.log(`${step} ${JSON.stringify(value)}`);
}

const operator = client(operatorKey);

// A customer, and a license of 1 seat for them (no policy: the default one).
const tenant = await operator.POST("/v1/tenants", { body: { name: "Acme", timeZone: "Europe/Berlin" } });
check(tenant.response.status === 201 && tenant.data !== undefined, `createTenant answered ${tenant.response.status}`);
const license = await operator.POST("/v1/licenses", { body: { tenantId: tenant.data.id, product: "cad", seats: 1 } });
check(license.response.status === 201 && license.data !== undefined, `createLicense answered ${license.response.status}`);
say("license", { id: license.data.id, seats: license.data.seats });

// The application's key: a client key of the tenant (name left out: optional).
const key = await operator.POST("/v1/api-keys", { body: { tenantId: tenant.data.id, role: "client" } });
check(key.response.status === 201 && typeof key.data?.key === "string", `createApiKey answered ${key.response.status}`);
const app = client(key.data.key);

// Alice starts the application: she gets the seat.
const alice = await app.POST("/v1/sessions", {
  body: { licenseId: license.data.id, user: "alice", device: "laptop", client: "desktop" },
  params: { header: { "Idempotency-Key": `quickstart-${tenant.data.id}` } },
});
check(alice.response.status === 201 && alice.data !== undefined, `checkout answered ${alice.response.status}`);
const session: Session = alice.data;
const status: "active" | "ended" = session.status; // an enum in the document, a union here
check(status === "active" && typeof session.sessionToken === "string", "alice's session is active with a token");
const token = { "Leasehold-Session-Token": session.sessionToken };
say("checkout", { user: session.user, status });

// Her application heartbeats with the session's token.
const beat = await app.POST("/v1/sessions/{id}/heartbeat", {
  params: { path: { id: session.id }, header: token },
  body: { active: true },
});
check(beat.response.status === 200 && beat.data?.status === "active", `heartbeat answered ${beat.response.status}`);
say("heartbeat", { expiresAt: beat.data.expiresAt });

// Bob starts it too: refused, and the error's code tells why.
const bob = await app.POST("/v1/sessions", {
  body: { licenseId: license.data.id, user: "bob", device: "pc-2", client: "desktop" },
});
check(bob.response.status === 409 && bob.error !== undefined, `bob's checkout answered ${bob.response.status}`);
const code = bob.error.code;
const known: ProblemCode = "no_seat_available";
check(code === known, `bob's refusal has code ${String(code)}`);
check(bob.response.headers.get("content-type")?.startsWith("application/problem+json") === true, "the refusal is problem+json");
say("refused", { code, seatsInUse: bob.error.seatsInUse, seatLimit: bob.error.seatLimit, traceId: typeof bob.error.traceId });

// Who holds seats (the operator's view).
const sessions = await operator.GET("/v1/sessions", { params: { query: { licenseId: license.data.id, limit: 10 } } });
check(sessions.response.status === 200 && sessions.data !== undefined, `listSessions answered ${sessions.response.status}`);
check(sessions.data.items.length === 1 && sessions.data.items[0]?.user === "alice", "alice alone holds the seat");
say("sessions", sessions.data.items.map(s => s.user));

// A bad request names its field.
const bad = await operator.GET("/v1/sessions", { params: { query: { limit: 0 } } });
check(bad.response.status === 400 && bad.error?.code === "invalid_request" && bad.error.field === "limit", "limit=0 is refused naming limit");
say("invalid", { code: bad.error.code, field: bad.error.field, errors: bad.error.errors });

// Alice signs off: the seat is free at once, and Bob gets it.
const off = await app.DELETE("/v1/sessions/{id}", { params: { path: { id: session.id }, header: token } });
check(off.response.status === 204, `signOff answered ${off.response.status}`);
const again = await app.POST("/v1/sessions", {
  body: { licenseId: license.data.id, user: "bob", device: "pc-2", client: "desktop" },
});
check(again.response.status === 201 && again.data?.user === "bob", `bob's second checkout answered ${again.response.status}`);
say("checkout", { user: again.data.user, status: again.data.status });

// The ended session says why it ended.
const ended = await operator.GET("/v1/sessions/{id}", { params: { path: { id: session.id } } });
check(ended.data?.status === "ended" && ended.data.endReason === "released", "alice's session ended as released");
say("ended", { endReason: ended.data.endReason });
console.log("quick start: ok");
