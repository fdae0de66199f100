package authv1_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gatehouse/adapters/httpapi/authv1"
	"gatehouse/adapters/jwtsign"
)

// newPassword is what the tests reset passwords to.
const newPassword = "a new correct horse battery"

func TestRestoreDoesNotTellWhoIsRegistered(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	for _, path := range []string{"/v1/user/password/restore", "/v1/user/resendEmail"} {
		t.Run(path, func(t *testing.T) {
			ex := e.example(t, http.MethodPost, path)
			before := e.mail.count()
			known := e.call(t, http.MethodPost, path, ex, nil)
			if e.mail.count() != before+1 {
				t.Fatalf("a restore for a known email sent %d notifications, want 1", e.mail.count()-before)
			}
			unknown := e.call(t, http.MethodPost, path, with(ex, "email", "nobody@example.com"), nil)
			if e.mail.count() != before+1 {
				t.Fatal("a restore for an unknown email sent a notification")
			}
			// The body echoes the email, so compare the answer to the same
			// email's: only the account's existence differs.
			var got struct{ Email string }
			known.json(t, &got)
			if known.status != http.StatusOK || got.Email != ex["email"] {
				t.Fatalf("known = %d %s", known.status, known.body)
			}
			want := bytes.ReplaceAll(known.body, []byte(ex["email"].(string)), []byte("nobody@example.com"))
			if unknown.status != known.status || !bytes.Equal(unknown.body, want) ||
				unknown.header.Get("Cache-Control") != known.header.Get("Cache-Control") {
				t.Fatalf("unknown email answered differently:\n%d %s\n%d %s", known.status, known.body, unknown.status, unknown.body)
			}
		})
	}
}

func TestRestoreIsByteIdentical(t *testing.T) {
	// Two frontends over two stores, one with the account and one without:
	// the same request gets the same bytes.
	known, unknown := newEnv(t, jwtsign.EdDSA, authv1.Options{}), newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, known)
	ex := known.example(t, http.MethodPost, "/v1/user/password/restore")
	a := known.call(t, http.MethodPost, "/v1/user/password/restore", ex, nil)
	b := unknown.call(t, http.MethodPost, "/v1/user/password/restore", ex, nil)
	if a.status != http.StatusOK || a.status != b.status || !bytes.Equal(a.body, b.body) {
		t.Fatalf("known %d %s, unknown %d %s", a.status, a.body, b.status, b.body)
	}
	if known.mail.count() != 1 || unknown.mail.count() != 0 {
		t.Fatalf("notifications: %d and %d, want 1 and 0", known.mail.count(), unknown.mail.count())
	}
}

func TestRecoveryChain(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	id, old := signUp(t, e)
	email := e.example(t, http.MethodPost, "/v1/user")["login"].(string)

	if r := e.call(t, http.MethodPost, "/v1/user/password/restore", e.example(t, http.MethodPost, "/v1/user/password/restore"), nil); r.status != http.StatusOK {
		t.Fatalf("restore = %d %s", r.status, r.body)
	}
	link := e.mail.linkPath(t, email)
	if !strings.HasPrefix(link, "/v1/user/confirm/") {
		t.Fatalf("the emailed link %q does not lead to /v1/user/confirm/{code}", link)
	}
	r := e.call(t, http.MethodGet, link, nil, nil)
	var confirmed struct{ Token, Purpose string }
	r.json(t, &confirmed)
	if r.status != http.StatusOK || confirmed.Purpose != "password_reset" || confirmed.Token == "" {
		t.Fatalf("confirm = %d %s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" || r.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("confirm headers = %v", r.header)
	}

	// A refused password names the field and leaves the token usable.
	ex := with(e.example(t, http.MethodPost, "/v1/user/password/reset"), "token", confirmed.Token)
	r = e.call(t, http.MethodPost, "/v1/user/password/reset", with(ex, "password", "short"), nil)
	if r.status != http.StatusBadRequest || fieldsOf(errorOf(t, r)) != "password" {
		t.Fatalf("reset to a short password = %d %s, want 400 naming password", r.status, r.body)
	}

	r = e.call(t, http.MethodPost, "/v1/user/password/reset", with(ex, "password", newPassword), nil)
	var reset struct{ UserID string }
	r.json(t, &reset)
	if r.status != http.StatusOK || reset.UserID != id {
		t.Fatalf("reset = %d %s, want userId %s", r.status, r.body, id)
	}
	r = e.call(t, http.MethodPost, "/v1/user/password/reset", with(ex, "password", newPassword+"!"), nil)
	if r.status != http.StatusUnauthorized || errorOf(t, r).Error.Code != "unauthenticated" {
		t.Fatalf("second reset with one token = %d %s, want 401", r.status, r.body)
	}

	// The reset ended the sessions of the old password.
	if r := e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(old.AccessToken)); r.status != http.StatusUnauthorized {
		t.Fatalf("old access token = %d %s, want 401", r.status, r.body)
	}
	if r := e.call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": old.RefreshToken}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("old refresh token = %d %s, want 401", r.status, r.body)
	}

	login := e.example(t, http.MethodPost, "/v1/auth/login")
	if r := e.call(t, http.MethodPost, "/v1/auth/login", login, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("login with the old password = %d %s, want 401", r.status, r.body)
	}
	r = e.call(t, http.MethodPost, "/v1/auth/login", with(login, "password", newPassword), nil)
	var pair tokens
	r.json(t, &pair)
	if r.status != http.StatusOK {
		t.Fatalf("login with the new password = %d %s", r.status, r.body)
	}
	if r := e.call(t, http.MethodGet, "/v1/user/profile", nil, bearer(pair.AccessToken)); r.status != http.StatusOK {
		t.Fatalf("profile after the reset = %d %s", r.status, r.body)
	}
}

func TestResendEmailSendsANewLink(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	email := e.example(t, http.MethodPost, "/v1/user")["login"].(string)

	e.call(t, http.MethodPost, "/v1/user/password/restore", e.example(t, http.MethodPost, "/v1/user/password/restore"), nil)
	first := e.mail.linkPath(t, email)
	r := e.call(t, http.MethodPost, "/v1/user/resendEmail", e.example(t, http.MethodPost, "/v1/user/resendEmail"), nil)
	var sent struct{ Email string }
	r.json(t, &sent)
	if r.status != http.StatusOK || sent.Email != email {
		t.Fatalf("resendEmail = %d %s", r.status, r.body)
	}
	second := e.mail.linkPath(t, email)
	if second == first {
		t.Fatal("resendEmail sent the same link again")
	}
	if r := e.call(t, http.MethodGet, first, nil, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("the replaced link = %d %s, want 401", r.status, r.body)
	}
	var confirmed struct{ Token, Purpose string }
	if r := e.call(t, http.MethodGet, second, nil, nil); r.status != http.StatusOK {
		t.Fatalf("confirm the new link = %d %s", r.status, r.body)
	} else {
		r.json(t, &confirmed)
	}
	r = e.call(t, http.MethodPost, "/v1/user/password/reset", map[string]string{"token": confirmed.Token, "password": newPassword}, nil)
	if r.status != http.StatusOK {
		t.Fatalf("reset with the new link's token = %d %s", r.status, r.body)
	}
}

func TestRecoveryRefusals(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	restore := e.example(t, http.MethodPost, "/v1/user/password/restore")
	reset := e.example(t, http.MethodPost, "/v1/user/password/reset")
	tests := []struct {
		name, method, path string
		body               any
		status             int
		fields             string
	}{
		{"restore without email", http.MethodPost, "/v1/user/password/restore", with(restore, "email", nil), http.StatusBadRequest, "email"},
		{"restore with a bad email", http.MethodPost, "/v1/user/password/restore", with(restore, "email", "alice"), http.StatusBadRequest, "email"},
		{"restore with a number", http.MethodPost, "/v1/user/password/restore", with(restore, "email", 7), http.StatusBadRequest, "email"},
		{"restore malformed", http.MethodPost, "/v1/user/password/restore", `{"email"`, http.StatusBadRequest, ""},
		{"resend without email", http.MethodPost, "/v1/user/resendEmail", `{}`, http.StatusBadRequest, "email"},
		{"confirm an unknown code", http.MethodGet, "/v1/user/confirm/Xh3V9q2LmB7tR0cKp4Wz8nYs1Fd6Ga5Je0Ui3Oo2Qe", nil, http.StatusUnauthorized, ""},
		{"confirm a short code", http.MethodGet, "/v1/user/confirm/123456", nil, http.StatusUnauthorized, ""},
		{"reset with the example token", http.MethodPost, "/v1/user/password/reset", reset, http.StatusUnauthorized, ""},
		{"reset without anything", http.MethodPost, "/v1/user/password/reset", `{}`, http.StatusBadRequest, "token,password"},
		{"reset without password", http.MethodPost, "/v1/user/password/reset", with(reset, "password", nil), http.StatusBadRequest, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, tt.method, tt.path, tt.body, nil)
			if r.status != tt.status || fieldsOf(errorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.status, r.body, tt.status, tt.fields)
			}
		})
	}
	if e.mail.count() != 0 {
		t.Fatalf("refused requests sent %d notifications", e.mail.count())
	}
}

// resetToken walks restore and confirm for the example user and returns
// the reset token.
func resetToken(tb testing.TB, e *env) string {
	tb.Helper()
	email := e.example(tb, http.MethodPost, "/v1/user")["login"].(string)
	e.call(tb, http.MethodPost, "/v1/user/password/restore", e.example(tb, http.MethodPost, "/v1/user/password/restore"), nil)
	var confirmed struct{ Token string }
	e.call(tb, http.MethodGet, e.mail.linkPath(tb, email), nil, nil).json(tb, &confirmed)
	return confirmed.Token
}

func TestConcurrentResetsOneWins(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	token := resetToken(t, e)

	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := map[string]string{"token": token, "password": newPassword + strconv.Itoa(i)}
			statuses <- e.call(t, http.MethodPost, "/v1/user/password/reset", body, nil).status
		}()
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[http.StatusOK] != 1 || got[http.StatusUnauthorized] != n-1 {
		t.Fatalf("statuses = %v, want one 200 and %d 401", got, n-1)
	}
}

func TestConfirmEmail(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	id, _ := signUp(t, e)
	email := e.example(t, http.MethodPost, "/v1/user")["login"].(string)
	if err := e.recovery.SendEmailConfirmation(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	link := e.mail.linkPath(t, email)
	r := e.call(t, http.MethodGet, link, nil, nil)
	var confirmed struct{ Token, Purpose string }
	r.json(t, &confirmed)
	if r.status != http.StatusOK || confirmed.Purpose != "email_confirm" {
		t.Fatalf("confirm an email = %d %s", r.status, r.body)
	}
	// An email confirmation is spent at once; its code is no reset token.
	if r := e.call(t, http.MethodGet, link, nil, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("the same confirmation again = %d %s, want 401", r.status, r.body)
	}
	code := strings.TrimPrefix(link, "/v1/user/confirm/")
	if r := e.call(t, http.MethodPost, "/v1/user/password/reset", map[string]string{"token": code, "password": newPassword}, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("an email confirmation code as reset token = %d %s, want 401", r.status, r.body)
	}
}
