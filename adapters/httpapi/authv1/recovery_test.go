package authv1_test

import (
	"bytes"
	"context"
	"gatehouse/adapters/httpapi/httpapitest"
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
			ex := e.Example(t, http.MethodPost, path)
			before := e.mail.count()
			known := e.Call(t, http.MethodPost, path, ex, nil)
			if e.mail.count() != before+1 {
				t.Fatalf("a restore for a known email sent %d notifications, want 1", e.mail.count()-before)
			}
			unknown := e.Call(t, http.MethodPost, path, httpapitest.With(ex, "email", "nobody@example.com"), nil)
			if e.mail.count() != before+1 {
				t.Fatal("a restore for an unknown email sent a notification")
			}
			// The body echoes the email, so compare the answer to the same
			// email's: only the account's existence differs.
			var got struct{ Email string }
			known.JSON(t, &got)
			if known.Status != http.StatusOK || got.Email != ex["email"] {
				t.Fatalf("known = %d %s", known.Status, known.Body)
			}
			want := bytes.ReplaceAll(known.Body, []byte(ex["email"].(string)), []byte("nobody@example.com"))
			if unknown.Status != known.Status || !bytes.Equal(unknown.Body, want) ||
				unknown.Header.Get("Cache-Control") != known.Header.Get("Cache-Control") {
				t.Fatalf("unknown email answered differently:\n%d %s\n%d %s", known.Status, known.Body, unknown.Status, unknown.Body)
			}
		})
	}
}

func TestRestoreIsByteIdentical(t *testing.T) {
	// Two frontends over two stores, one with the account and one without:
	// the same request gets the same bytes.
	known, unknown := newEnv(t, jwtsign.EdDSA, authv1.Options{}), newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, known)
	before := known.mail.count() // signing up sent an email confirmation
	ex := known.Example(t, http.MethodPost, "/v1/user/password/restore")
	a := known.Call(t, http.MethodPost, "/v1/user/password/restore", ex, nil)
	b := unknown.Call(t, http.MethodPost, "/v1/user/password/restore", ex, nil)
	if a.Status != http.StatusOK || a.Status != b.Status || !bytes.Equal(a.Body, b.Body) {
		t.Fatalf("known %d %s, unknown %d %s", a.Status, a.Body, b.Status, b.Body)
	}
	if known.mail.count() != before+1 || unknown.mail.count() != 0 {
		t.Fatalf("restore notifications: %d and %d, want 1 and 0", known.mail.count()-before, unknown.mail.count())
	}
}

func TestRecoveryChain(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	id, old := signUp(t, e)
	email := e.Example(t, http.MethodPost, "/v1/user")["login"].(string)

	if r := e.Call(t, http.MethodPost, "/v1/user/password/restore", e.Example(t, http.MethodPost, "/v1/user/password/restore"), nil); r.Status != http.StatusOK {
		t.Fatalf("restore = %d %s", r.Status, r.Body)
	}
	link := e.mail.linkPath(t, email)
	if !strings.HasPrefix(link, "/v1/user/confirm/") {
		t.Fatalf("the emailed link %q does not lead to /v1/user/confirm/{code}", link)
	}
	r := e.Call(t, http.MethodGet, link, nil, nil)
	var confirmed struct{ Token, Purpose string }
	r.JSON(t, &confirmed)
	if r.Status != http.StatusOK || confirmed.Purpose != "password_reset" || confirmed.Token == "" {
		t.Fatalf("confirm = %d %s", r.Status, r.Body)
	}
	if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("confirm headers = %v", r.Header)
	}

	// A refused password names the field and leaves the token usable.
	ex := httpapitest.With(e.Example(t, http.MethodPost, "/v1/user/password/reset"), "token", confirmed.Token)
	r = e.Call(t, http.MethodPost, "/v1/user/password/reset", httpapitest.With(ex, "password", "short"), nil)
	if r.Status != http.StatusBadRequest || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != "password" {
		t.Fatalf("reset to a short password = %d %s, want 400 naming password", r.Status, r.Body)
	}

	r = e.Call(t, http.MethodPost, "/v1/user/password/reset", httpapitest.With(ex, "password", newPassword), nil)
	var reset struct{ UserID string }
	r.JSON(t, &reset)
	if r.Status != http.StatusOK || reset.UserID != id {
		t.Fatalf("reset = %d %s, want userId %s", r.Status, r.Body, id)
	}
	r = e.Call(t, http.MethodPost, "/v1/user/password/reset", httpapitest.With(ex, "password", newPassword+"!"), nil)
	if r.Status != http.StatusUnauthorized || httpapitest.ErrorOf(t, r).Error.Code != "unauthenticated" {
		t.Fatalf("second reset with one token = %d %s, want 401", r.Status, r.Body)
	}

	// The reset ended the sessions of the old password.
	if r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(old.AccessToken)); r.Status != http.StatusUnauthorized {
		t.Fatalf("old access token = %d %s, want 401", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": old.RefreshToken}, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("old refresh token = %d %s, want 401", r.Status, r.Body)
	}

	login := e.Example(t, http.MethodPost, "/v1/auth/login")
	if r := e.Call(t, http.MethodPost, "/v1/auth/login", login, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("login with the old password = %d %s, want 401", r.Status, r.Body)
	}
	r = e.Call(t, http.MethodPost, "/v1/auth/login", httpapitest.With(login, "password", newPassword), nil)
	var pair tokens
	r.JSON(t, &pair)
	if r.Status != http.StatusOK {
		t.Fatalf("login with the new password = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, "/v1/user/profile", nil, httpapitest.Bearer(pair.AccessToken)); r.Status != http.StatusOK {
		t.Fatalf("profile after the reset = %d %s", r.Status, r.Body)
	}
}

func TestResendEmailSendsANewLink(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	signUp(t, e)
	email := e.Example(t, http.MethodPost, "/v1/user")["login"].(string)

	e.Call(t, http.MethodPost, "/v1/user/password/restore", e.Example(t, http.MethodPost, "/v1/user/password/restore"), nil)
	first := e.mail.linkPath(t, email)
	r := e.Call(t, http.MethodPost, "/v1/user/resendEmail", e.Example(t, http.MethodPost, "/v1/user/resendEmail"), nil)
	var sent struct{ Email string }
	r.JSON(t, &sent)
	if r.Status != http.StatusOK || sent.Email != email {
		t.Fatalf("resendEmail = %d %s", r.Status, r.Body)
	}
	second := e.mail.linkPath(t, email)
	if second == first {
		t.Fatal("resendEmail sent the same link again")
	}
	if r := e.Call(t, http.MethodGet, first, nil, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("the replaced link = %d %s, want 401", r.Status, r.Body)
	}
	var confirmed struct{ Token, Purpose string }
	if r := e.Call(t, http.MethodGet, second, nil, nil); r.Status != http.StatusOK {
		t.Fatalf("confirm the new link = %d %s", r.Status, r.Body)
	} else {
		r.JSON(t, &confirmed)
	}
	r = e.Call(t, http.MethodPost, "/v1/user/password/reset", map[string]string{"token": confirmed.Token, "password": newPassword}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("reset with the new link's token = %d %s", r.Status, r.Body)
	}
}

func TestRecoveryRefusals(t *testing.T) {
	e := newEnv(t, jwtsign.EdDSA, authv1.Options{})
	restore := e.Example(t, http.MethodPost, "/v1/user/password/restore")
	reset := e.Example(t, http.MethodPost, "/v1/user/password/reset")
	tests := []struct {
		name, method, path string
		body               any
		status             int
		fields             string
	}{
		{"restore without email", http.MethodPost, "/v1/user/password/restore", httpapitest.With(restore, "email", nil), http.StatusBadRequest, "email"},
		{"restore with a bad email", http.MethodPost, "/v1/user/password/restore", httpapitest.With(restore, "email", "alice"), http.StatusBadRequest, "email"},
		{"restore with a number", http.MethodPost, "/v1/user/password/restore", httpapitest.With(restore, "email", 7), http.StatusBadRequest, "email"},
		{"restore malformed", http.MethodPost, "/v1/user/password/restore", `{"email"`, http.StatusBadRequest, ""},
		{"resend without email", http.MethodPost, "/v1/user/resendEmail", `{}`, http.StatusBadRequest, "email"},
		{"confirm an unknown code", http.MethodGet, "/v1/user/confirm/Xh3V9q2LmB7tR0cKp4Wz8nYs1Fd6Ga5Je0Ui3Oo2Qe", nil, http.StatusUnauthorized, ""},
		{"confirm a short code", http.MethodGet, "/v1/user/confirm/123456", nil, http.StatusUnauthorized, ""},
		{"reset with the example token", http.MethodPost, "/v1/user/password/reset", reset, http.StatusUnauthorized, ""},
		{"reset without anything", http.MethodPost, "/v1/user/password/reset", `{}`, http.StatusBadRequest, "token,password"},
		{"reset without password", http.MethodPost, "/v1/user/password/reset", httpapitest.With(reset, "password", nil), http.StatusBadRequest, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, tt.method, tt.path, tt.body, nil)
			if r.Status != tt.status || httpapitest.FieldsOf(httpapitest.ErrorOf(t, r)) != tt.fields {
				t.Fatalf("= %d %s, want %d naming %q", r.Status, r.Body, tt.status, tt.fields)
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
	email := e.Example(tb, http.MethodPost, "/v1/user")["login"].(string)
	e.Call(tb, http.MethodPost, "/v1/user/password/restore", e.Example(tb, http.MethodPost, "/v1/user/password/restore"), nil)
	var confirmed struct{ Token string }
	e.Call(tb, http.MethodGet, e.mail.linkPath(tb, email), nil, nil).JSON(tb, &confirmed)
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
			statuses <- e.Call(t, http.MethodPost, "/v1/user/password/reset", body, nil).Status
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
	email := e.Example(t, http.MethodPost, "/v1/user")["login"].(string)
	if err := e.recovery.SendEmailConfirmation(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	link := e.mail.linkPath(t, email)
	r := e.Call(t, http.MethodGet, link, nil, nil)
	var confirmed struct{ Token, Purpose string }
	r.JSON(t, &confirmed)
	if r.Status != http.StatusOK || confirmed.Purpose != "email_confirm" || strings.Contains(string(r.Body), "token") {
		t.Fatalf("confirm an email = %d %s, want the purpose alone", r.Status, r.Body)
	}
	// An email confirmation is spent at once; its code is no reset token.
	if r := e.Call(t, http.MethodGet, link, nil, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("the same confirmation again = %d %s, want 401", r.Status, r.Body)
	}
	code := strings.TrimPrefix(link, "/v1/user/confirm/")
	if r := e.Call(t, http.MethodPost, "/v1/user/password/reset", map[string]string{"token": code, "password": newPassword}, nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("an email confirmation code as reset token = %d %s, want 401", r.Status, r.Body)
	}
}
