package account_test

import (
	"bytes"
	"fmt"
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gatehouse/adapters/httpapi/account"
)

func TestRegistration(t *testing.T) {
	e := newEnv(t, account.Options{})
	ex := e.Example(t, http.MethodPost, "/account/registration")

	r := e.register(t, ex)
	if r.Status != http.StatusOK {
		t.Fatalf("register the example = %d %s", r.Status, r.Body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	var p profile
	r.JSON(t, &p)
	want := profile{
		ID: 1, Login: "danila_ginda", Email: "danila@example.com", FirstName: "Данила", LastName: "Гинда",
		Patronymic: "Андреевич", CreatedAt: "2024-03-07 23:32:53.818302",
		// Every new account holds the catalog's "user" role.
		Groups: []named{}, Roles: []named{{ID: 1, Name: "user"}}, Permissions: []string{"profile.read", "profile.write"},
		Token: p.Token,
	}
	if fmt.Sprint(p) != fmt.Sprint(want) || len(p.Token) < 40 {
		t.Fatalf("profile = %+v\nwant      %+v", p, want)
	}
	for _, key := range []string{`"groups":[]`, `"roles":[{"id":1,"name":"user"}]`, `"id":1,`} {
		if !bytes.Contains(r.Body, []byte(key)) {
			t.Errorf("body lacks %s: %s", key, r.Body)
		}
	}
	if me := e.call(t, http.MethodGet, "/account/me", nil, auth(p.Token)); me.Status != http.StatusOK {
		t.Fatalf("the registration token on /account/me = %d %s", me.Status, me.Body)
	}

	// The patronymic is optional: absent, null or "".
	for i, pat := range []any{nil, "", "Ёжикович"} {
		body := httpapitest.With(ex, "login", fmt.Sprintf("second_%d", i), "email", fmt.Sprintf("second%d@example.com", i), "patronymic", pat)
		if pat == nil {
			body = httpapitest.With(body, "patronymic", nil)
		}
		if r := e.register(t, body); r.Status != http.StatusOK {
			t.Fatalf("patronymic %v = %d %s", pat, r.Status, r.Body)
		}
	}
	if r := e.register(t, `{"login":"third_one","password":"Voskresensk2005","email":"third@example.com",`+
		`"first_name":"Семён","last_name":"Ёлкин","patronymic":null}`); r.Status != http.StatusOK {
		t.Fatalf("null patronymic and Ё = %d %s", r.Status, r.Body)
	}

	fresh := httpapitest.With(ex, "login", "fresh_login", "email", "fresh@example.com")
	tests := []struct {
		name   string
		body   any
		status int
		prefix string // the start of errorMessage
	}{
		{"login taken", httpapitest.With(ex, "email", "other@example.com"), http.StatusForbidden, "login: is already taken"},
		{"email taken", httpapitest.With(ex, "login", "other_login"), http.StatusForbidden, "email: is already registered"},
		{"email taken in other case", httpapitest.With(ex, "login", "other_login", "email", "DANILA@example.com"), http.StatusForbidden, "email: "},
		{"login upper case", httpapitest.With(fresh, "login", "Danila"), http.StatusBadRequest, "login: must match [a-z0-9_]{4,32}"},
		{"login short", httpapitest.With(fresh, "login", "abc"), http.StatusBadRequest, "login: must match"},
		{"login long", httpapitest.With(fresh, "login", strings.Repeat("a", 33)), http.StatusBadRequest, "login: must match"},
		{"login with a dot", httpapitest.With(fresh, "login", "dan.ila"), http.StatusBadRequest, "login: must match"},
		{"password short", httpapitest.With(fresh, "password", "Aa34567"), http.StatusBadRequest, "password: must be 8 to 20"},
		{"password long", httpapitest.With(fresh, "password", "Aa345678901234567890x"), http.StatusBadRequest, "password: must be 8 to 20"},
		{"password without digit", httpapitest.With(fresh, "password", "Voskresensk"), http.StatusBadRequest, "password: "},
		{"password without upper", httpapitest.With(fresh, "password", "voskresensk2005"), http.StatusBadRequest, "password: "},
		{"password without lower", httpapitest.With(fresh, "password", "VOSKRESENSK2005"), http.StatusBadRequest, "password: "},
		{"email without dot", httpapitest.With(fresh, "email", "fresh@example"), http.StatusBadRequest, `email: must match ^(.+)@(.+)\.(.+)$`},
		{"email with space", httpapitest.With(fresh, "email", "fre sh@example.com"), http.StatusBadRequest, "email: "},
		{"first name latin", httpapitest.With(fresh, "first_name", "Danila"), http.StatusBadRequest, "first_name: must match [А-Я][а-я ]{1,255}"},
		{"first name lower", httpapitest.With(fresh, "first_name", "данила"), http.StatusBadRequest, "first_name: "},
		{"first name one letter", httpapitest.With(fresh, "first_name", "Д"), http.StatusBadRequest, "first_name: "},
		{"last name hyphen", httpapitest.With(fresh, "last_name", "Гинда-Петров"), http.StatusBadRequest, "last_name: "},
		{"patronymic lower", httpapitest.With(fresh, "patronymic", "андреевич"), http.StatusBadRequest, "patronymic: "},
		{"no login", httpapitest.With(fresh, "login", nil), http.StatusBadRequest, "login: is required"},
		{"no email", httpapitest.With(fresh, "email", nil), http.StatusBadRequest, "email: is required"},
		{"no last name", httpapitest.With(fresh, "last_name", nil), http.StatusBadRequest, "last_name: is required"},
		{"two fields", httpapitest.With(fresh, "login", "A", "first_name", "x"), http.StatusBadRequest,
			"login: must match [a-z0-9_]{4,32}; first_name: "},
		{"login is a number", httpapitest.With(fresh, "login", 42), http.StatusBadRequest, "login: "},
		{"malformed JSON", `{"login":`, http.StatusBadRequest, "Request body is not valid JSON"},
		{"array", `[]`, http.StatusBadRequest, "Request body must be a JSON object"},
		{"empty body", "", http.StatusBadRequest, "Request body is empty"},
		{"too large", `{"login":"` + strings.Repeat("x", 2<<20) + `"}`, http.StatusBadRequest, "Request body is larger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.register(t, tt.body)
			if r.Status != tt.status || !strings.HasPrefix(messageOf(t, r), tt.prefix) {
				t.Fatalf("= %d %s, want %d %q...", r.Status, r.Body, tt.status, tt.prefix)
			}
		})
	}
}

func TestLogin(t *testing.T) {
	e := newEnv(t, account.Options{})
	reg := signUp(t, e)
	ex := e.Example(t, http.MethodPost, "/account/login")

	byEmail := httpapitest.With(ex, "login", nil, "email", "danila@example.com")
	for name, body := range map[string]any{"by login": ex, "by email": byEmail, "by email in login": httpapitest.With(ex, "login", "danila@example.com")} {
		t.Run(name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/account/login", body, nil)
			var p profile
			r.JSON(t, &p)
			if r.Status != http.StatusOK || p.ID != reg.ID || p.Login != "danila_ginda" || p.Token == "" || p.Token == reg.Token {
				t.Fatalf("login = %d %s", r.Status, r.Body)
			}
			if me := e.call(t, http.MethodGet, "/account/me", nil, auth(p.Token)); me.Status != http.StatusOK {
				t.Fatalf("the login token on /account/me = %d %s", me.Status, me.Body)
			}
		})
	}

	wrong := e.call(t, http.MethodPost, "/account/login", httpapitest.With(ex, "password", "Wrong12345"), nil)
	unknown := e.call(t, http.MethodPost, "/account/login", httpapitest.With(ex, "login", "nobody_here"), nil)
	unknownEmail := e.call(t, http.MethodPost, "/account/login", httpapitest.With(byEmail, "email", "nobody@example.com"), nil)
	for name, r := range map[string]response{"wrong password": wrong, "unknown login": unknown, "unknown email": unknownEmail} {
		if r.Status != http.StatusForbidden {
			t.Errorf("%s = %d %s, want 403", name, r.Status, r.Body)
		}
		messageOf(t, r)
	}
	if !bytes.Equal(wrong.Body, unknown.Body) || !bytes.Equal(wrong.Body, unknownEmail.Body) {
		t.Errorf("an unknown user is told apart from a wrong password:\n%s\n%s\n%s", wrong.Body, unknown.Body, unknownEmail.Body)
	}

	tests := []struct {
		name, body, prefix string
	}{
		{"no handle", `{"password":"Voskresensk2005"}`, "login: is required unless email is given"},
		{"null handles", `{"password":"Voskresensk2005","login":null,"email":null}`, "login: is required unless email is given"},
		{"no password", `{"login":"danila_ginda"}`, "password: is required"},
		{"nothing", `{}`, "login: is required unless email is given; password: is required"},
		{"password a number", `{"login":"danila_ginda","password":12345678}`, "password: "},
		{"trailing data", `{"login":"danila_ginda","password":"x"} {}`, "Request body must hold one JSON value only."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/account/login", tt.body, nil)
			if r.Status != http.StatusBadRequest || !strings.HasPrefix(messageOf(t, r), tt.prefix) {
				t.Fatalf("= %d %s, want 400 %q", r.Status, r.Body, tt.prefix)
			}
		})
	}
}

func TestLoginCheck(t *testing.T) {
	e := newEnv(t, account.Options{})
	signUp(t, e)
	tests := []struct {
		name, query string
		status      int
		available   bool
		message     *regexp.Regexp
	}{
		{"available", "?login=free_login", http.StatusOK, true, regexp.MustCompile(`^Login is available\.$`)},
		{"taken", "?login=danila_ginda", http.StatusOK, false, regexp.MustCompile(`^Login is already taken\.$`)},
		{"breaks the rule", "?login=Bad.Login", http.StatusOK, false, regexp.MustCompile(`^login: must match \[a-z0-9_\]\{4,32\}$`)},
		{"too short", "?login=abc", http.StatusOK, false, regexp.MustCompile(`^login: must match`)},
		{"missing", "", http.StatusBadRequest, false, regexp.MustCompile(`^login: is required$`)},
		{"empty", "?login=", http.StatusBadRequest, false, regexp.MustCompile(`^login: is required$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/account/login/check"+tt.query, nil, nil)
			if r.Status != tt.status {
				t.Fatalf("= %d %s, want %d", r.Status, r.Body, tt.status)
			}
			if tt.status != http.StatusOK {
				if msg := messageOf(t, r); !tt.message.MatchString(msg) {
					t.Fatalf("errorMessage = %q, want %v", msg, tt.message)
				}
				return
			}
			var body struct {
				Message          string `json:"message"`
				IsLoginAvailable *bool  `json:"is_login_available"`
			}
			r.JSON(t, &body)
			if body.IsLoginAvailable == nil || *body.IsLoginAvailable != tt.available || !tt.message.MatchString(body.Message) {
				t.Fatalf("= %s, want available %v and message %v", r.Body, tt.available, tt.message)
			}
		})
	}
}

// TestRegistrationRace registers one login 16 times at once: exactly one
// registration wins and the others are told the login is taken.
func TestRegistrationRace(t *testing.T) {
	e := newEnv(t, account.Options{})
	ex := e.Example(t, http.MethodPost, "/account/registration")
	const n = 16
	results := make([]response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = e.register(t, httpapitest.With(ex, "email", fmt.Sprintf("racer%d@example.com", i)))
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, r := range results {
		switch {
		case r.Status == http.StatusOK:
			won++
		case r.Status != http.StatusForbidden || messageOf(t, r) != "login: is already taken":
			t.Errorf("registration %d = %d %s, want 403 login: is already taken", i, r.Status, r.Body)
		}
	}
	if won != 1 {
		t.Fatalf("%d registrations won, want exactly 1", won)
	}
}
