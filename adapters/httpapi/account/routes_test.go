package account_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"gatehouse/adapters/httpapi/account"
)

// TestRouterErrorsInTheContractsShape: paths of this contract that no
// route serves answer {"errorMessage"} like every other error of it.
func TestRouterErrorsInTheContractsShape(t *testing.T) {
	e := newEnv(t, account.Options{})
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/account/login", http.StatusMethodNotAllowed},
		{http.MethodGet, "/info/users", http.StatusNotFound},
		{http.MethodGet, "/info/users/search-", http.StatusNotFound},
		{http.MethodDelete, "/account/me", http.StatusMethodNotAllowed},
	} {
		_, r := e.Serve(t, tt.method, tt.path, nil, nil)
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatalf("%s %s: %v (%s)", tt.method, tt.path, err, r.Body)
		}
		if r.Status != tt.status || len(body) != 1 || body["errorMessage"] == "" {
			t.Errorf("%s %s = %d %s, want %d {\"errorMessage\"}", tt.method, tt.path, r.Status, r.Body, tt.status)
		}
	}
}
