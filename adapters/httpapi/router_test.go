package httpapi_test

import (
	"errors"
	"log/slog"
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi"
)

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{
		route("/things", text("ok"), http.MethodGet),
	}})
	tests := []struct {
		method, path string
		status       int
		reason       string
		allow        string
	}{
		{http.MethodGet, "/nothing/here", http.StatusNotFound, httpapi.ReasonNoRoute, ""},
		{http.MethodDelete, "/things", http.StatusMethodNotAllowed, httpapi.ReasonMethodNotAllowed, "GET, HEAD"},
		{http.MethodPost, "/healthz", http.StatusMethodNotAllowed, httpapi.ReasonMethodNotAllowed, "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := e.do(t, tt.method, tt.path, nil, nil)
			if rec.Code != tt.status {
				t.Fatalf("status = %d, want %d", rec.Code, tt.status)
			}
			if got := errorBody(t, rec); got.Reason != tt.reason || got.Message == "" {
				t.Fatalf("body = %+v, want reason %q and a message", got, tt.reason)
			}
			if got := rec.Header().Get("Allow"); got != tt.allow {
				t.Fatalf("Allow = %q, want %q", got, tt.allow)
			}
		})
	}
}

// TestMountOrderDoesNotMatter serves /status and a catch-all /{alias} from
// two frontends in both orders: the static route always wins.
func TestMountOrderDoesNotMatter(t *testing.T) {
	status := route("/status", text("status"), http.MethodGet)
	alias := route("/{alias}", text("alias"), http.MethodGet)
	nested := route("/v1/user/{id}", text("user-id"), http.MethodGet)
	profile := route("/v1/user/profile", text("profile"), http.MethodGet)
	orders := map[string][]httpapi.Mounter{
		"static first":   {status, alias, profile, nested},
		"variable first": {nested, alias, status, profile},
	}
	for name, mounts := range orders {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: mounts})
			for path, want := range map[string]string{
				"/status":          "status",
				"/abc":             "alias",
				"/healthz":         `{"status":"ok"}` + "\n",
				"/v1/user/profile": "profile",
				"/v1/user/42":      "user-id",
			} {
				if rec := e.do(t, http.MethodGet, path, nil, nil); rec.Body.String() != want {
					t.Errorf("GET %s = %q, want %q", path, rec.Body, want)
				}
			}
		})
	}
}

func TestConflictingMounts(t *testing.T) {
	tests := []struct {
		name     string
		a, b     httpapi.Mounter
		conflict bool
	}{
		{"same path and method", route("/x", text("a"), http.MethodGet), route("/x", text("b"), http.MethodGet), true},
		{"same shape, other variable name", route("/u/{id}", text("a"), http.MethodGet), route("/u/{name}", text("b"), http.MethodGet), true},
		{"any method against one", route("/x", text("a")), route("/x", text("b"), http.MethodPost), true},
		{"an operational path", route("/healthz", text("a"), http.MethodGet), route("/y", text("b")), true},
		{"different methods", route("/x", text("a"), http.MethodGet), route("/x", text("b"), http.MethodPost), false},
		{"different paths", route("/x", text("a"), http.MethodGet), route("/y", text("b"), http.MethodGet), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{
				Log:    slog.New(slog.DiscardHandler),
				Mounts: []httpapi.Mounter{tt.a, tt.b},
			})
			var ce *httpapi.ConflictError
			if got := errors.As(err, &ce); got != tt.conflict {
				t.Fatalf("NewRouter error = %v, want conflict %v", err, tt.conflict)
			}
		})
	}
}

func TestMalformedRoute(t *testing.T) {
	_, err := httpapi.NewRouter(httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route("/u/{id", text("a"))}})
	if err == nil {
		t.Fatal("NewRouter accepted a malformed template")
	}
}

// TestVarsAndVar read a route's variables through the whole router, for a
// router the table matches itself and for one left to mux.
func TestVarsAndVar(t *testing.T) {
	var vars map[string]string
	var alias, missing string
	h := func(w http.ResponseWriter, r *http.Request) {
		vars, alias, missing = httpapi.Vars(r), httpapi.Var(r, "alias"), httpapi.Var(r, "nope")
	}
	for name, path := range map[string]string{
		"plain":   "/{alias:[a-z0-9]+}/qr/{size}",
		"for mux": "/{alias:[a-z0-9]{2,}}/qr/{size}",
	} {
		e := newEnv(t, httpapi.Options{}, httpapi.Deps{Mounts: []httpapi.Mounter{route(path, h, http.MethodGet)}})
		e.do(t, http.MethodGet, "/abc9/qr/300", nil, nil)
		if alias != "abc9" || missing != "" || vars["alias"] != "abc9" || vars["size"] != "300" || len(vars) != 2 {
			t.Errorf("%s: Var alias %q, Var nope %q, Vars %v", name, alias, missing, vars)
		}
	}
}
