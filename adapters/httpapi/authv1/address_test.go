package authv1_test

import (
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

func TestAddAddress(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	_, pair := signUp(t, e)
	ex := e.Example(t, http.MethodPost, "/v1/user/address")

	r := e.Call(t, http.MethodPost, "/v1/user/address", ex, httpapitest.Bearer(pair.AccessToken))
	var added struct {
		AddressID string `json:"addressId"`
	}
	r.JSON(t, &added)
	if r.Status != http.StatusOK || added.AddressID == "" {
		t.Fatalf("add the example = %d %s", r.Status, r.Body)
	}

	r = e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(pair.AccessToken))
	var p struct {
		Name      string
		Addresses []string
	}
	r.JSON(t, &p)
	if r.Status != http.StatusOK || !slices.Equal(p.Addresses, []string{ex["address"].(string)}) {
		t.Fatalf("profile after adding = %d %s, want the address", r.Status, r.Body)
	}
	// The document's name is the user's: a nameless profile takes it; a
	// named one keeps its own.
	if p.Name != ex["name"] {
		t.Fatalf("profile name after adding = %q, want %q", p.Name, ex["name"])
	}
	e.Call(t, http.MethodPost, "/v1/user/address", httpapitest.With(ex, "address", "0x2", "name", "Other"), httpapitest.Bearer(pair.AccessToken))
	e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(pair.AccessToken)).JSON(t, &p)
	if p.Name != ex["name"] {
		t.Fatalf("profile name after a second address = %q, want %q kept", p.Name, ex["name"])
	}

	tests := []struct {
		name   string
		body   any
		header http.Header
		status int
		fields string
	}{
		{"the same address again", ex, httpapitest.Bearer(pair.AccessToken), http.StatusConflict, ""},
		{"no name", httpapitest.With(ex, "name", nil), httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "name"},
		{"nothing", `{}`, httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "address,name"},
		{"address is a number", httpapitest.With(ex, "address", 42), httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"address with a space", httpapitest.With(ex, "address", "0x5290 8400"), httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"address too long", httpapitest.With(ex, "address", strings.Repeat("a", 257)), httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "address"},
		{"name too long", httpapitest.With(ex, "address", "0x1", "name", strings.Repeat("я", 101)), httpapitest.Bearer(pair.AccessToken), http.StatusBadRequest, "name"},
		{"no token", ex, nil, http.StatusUnauthorized, ""},
		{"refresh token as bearer", ex, httpapitest.Bearer(pair.RefreshToken), http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/v1/user/address", tt.body, tt.header)
			if r.Status != tt.status || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.fields)
			}
		})
	}
}

func TestAddressExists(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	email := e.Example(t, http.MethodPost, "/v1/user")["login"].(string)
	exists := func(email string) response {
		return e.Call(t, http.MethodGet, "/v1/user/address/exists?email="+url.QueryEscape(email), nil, nil)
	}

	for _, tt := range []struct {
		email string
		want  bool
	}{{email, true}, {"nobody@example.com", false}} {
		r := exists(tt.email)
		var got struct{ Exist *bool }
		r.JSON(t, &got)
		if r.Status != http.StatusOK || got.Exist == nil || *got.Exist != tt.want {
			t.Fatalf("exists %s = %d %s, want %v", tt.email, r.Status, r.Body, tt.want)
		}
	}
	for name, path := range map[string]string{
		"no email":     "/v1/user/address/exists",
		"empty email":  "/v1/user/address/exists?email=",
		"not an email": "/v1/user/address/exists?email=alice",
	} {
		r := e.Call(t, http.MethodGet, path, nil, nil)
		if r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != "email" {
			t.Errorf("%s = %d %s, want 400 naming email", name, r.Status, r.Body)
		}
	}
}

// TestAddressExistsIsThrottled asks until the per-IP limit answers 429,
// which must say when to come back.
func TestAddressExistsIsThrottled(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	const ceiling = 1000 // far above any sane per-IP limit
	for i := range ceiling {
		r := e.Call(t, http.MethodGet, "/v1/user/address/exists?email=probe"+strconv.Itoa(i)+"%40example.com", nil, nil)
		if r.Status == http.StatusOK {
			continue
		}
		if r.Status != http.StatusTooManyRequests || httpapitest.ErrorOf(t, r).Error.Code != "rate_limited" {
			t.Fatalf("request %d = %d %s, want 200 or 429", i, r.Status, r.Body)
		}
		if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs <= 0 {
			t.Fatalf("Retry-After = %q, want whole seconds > 0", r.Header.Get("Retry-After"))
		}
		return
	}
	t.Fatalf("%d lookups from one IP were never throttled", ceiling)
}
