package app

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// felmeeAnswer is contract 000's envelope.
type felmeeAnswer struct {
	Success   bool              `json:"success"`
	Message   string            `json:"message"`
	CodeError *string           `json:"codeError"`
	Data      map[string]string `json:"data"`
}

// felmee sends one request to contract 000 and returns the status, the
// envelope and the response's cookies.
func (s *service) felmee(tb testing.TB, method, path, body string, header map[string]string) (int, felmeeAnswer, []*http.Cookie) {
	tb.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a felmeeAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		tb.Fatalf("%s %s: %d %s: not an envelope", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, a, resp.Cookies()
}

func codeError(a felmeeAnswer) string {
	if a.CodeError == nil {
		return ""
	}
	return *a.CodeError
}

// TestFelmeeDevWalkthrough is the README's walkthrough of contract 000 in
// dev mode (codes in the log, captcha.provider none): a phone signs in,
// binds an email, signs in once by a mailed link, refreshes by header and
// by cookie, and a reused refresh token revokes the family.
func TestFelmeeDevWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the service")
	}
	logs := &logRecords{}
	svc := startServiceLogging(t, slog.New(slog.NewJSONHandler(logs, nil)), "GATEHOUSE_DEV=true", "GATEHOUSE_DATA_DIR="+t.TempDir())
	status, a, _ := svc.felmee(t, "POST", "/api/auth/phone/send/otp", `{"recipient":"8 (999) 123-45-67"}`, map[string]string{"captcha-token": "dev"})
	if status != 200 || a.Message != "OTP code sent successfully" || a.CodeError != nil {
		t.Fatalf("send otp: %d %+v", status, a)
	}
	code := logs.find(t, "phone code", "+79991234567", "code")
	status, a, cookies := svc.felmee(t, "POST", "/api/auth/phone/login", `{"phone":"+7 999 123 45 67","otp":"`+code+`"}`, nil)
	if status != 200 || a.Data["JWT"] == "" || a.Data["RT"] == "" || len(cookies) != 2 {
		t.Fatalf("phone login: %d %+v %v", status, a, cookies)
	}
	jwt, rt := a.Data["JWT"], a.Data["RT"]

	// Bind an email with the access token.
	auth := map[string]string{"Authorization": "Bearer " + jwt, "captcha-token": "dev"}
	if status, a, _ = svc.felmee(t, "POST", "/api/auth/email/send/otp", `{"recipient":"walker@example.com"}`, auth); status != 200 {
		t.Fatalf("email send otp: %d %+v", status, a)
	}
	bind := logs.find(t, "notification", "walker@example.com", "code")
	body := fmt.Sprintf(`{"email":"walker@example.com","otp":%q}`, bind)
	if status, a, _ = svc.felmee(t, "PUT", "/api/auth/email/add", body, auth); status != 200 || a.Message != "Email successfully added!" {
		t.Fatalf("email add: %d %+v", status, a)
	}
	if status, a, _ = svc.felmee(t, "PUT", "/api/auth/email/add", body, auth); codeError(a) != "code_invalid" {
		t.Fatalf("email add again: %d %+v", status, a)
	}

	if status, a, _ = svc.felmee(t, "POST", "/api/auth/email/send/login-link", `{"recipient":"walker@example.com"}`, map[string]string{"captcha-token": "dev"}); status != 200 {
		t.Fatalf("send login link: %d %+v", status, a)
	}
	link, err := url.Parse(logs.find(t, "notification", "walker@example.com", "link"))
	if err != nil {
		t.Fatal(err)
	}
	exchange := fmt.Sprintf(`{"token":%q}`, link.Query().Get("token"))
	if status, a, _ = svc.felmee(t, "POST", link.Path, exchange, nil); status != 200 || a.Data["JWT"] == "" {
		t.Fatalf("link exchange: %d %+v", status, a)
	}
	if status, a, _ = svc.felmee(t, "POST", link.Path, exchange, nil); codeError(a) != "code_invalid" {
		t.Fatalf("link used twice: %d %+v", status, a)
	}

	// Refresh by header, then by cookie; a reused token revokes the family,
	// its newest token and its access tokens too.
	status, a, _ = svc.felmee(t, "POST", "/api/auth/refresh-token", "", map[string]string{"RT": "Bearer " + rt})
	if status != 200 || a.Message != "Token refreshed successfully" {
		t.Fatalf("refresh by header: %d %+v", status, a)
	}
	status, a, _ = svc.felmee(t, "POST", "/api/auth/refresh-token", "", map[string]string{"Cookie": "RT=" + a.Data["RT"]})
	if status != 200 {
		t.Fatalf("refresh by cookie: %d %+v", status, a)
	}
	newest := a.Data["RT"]
	if status, a, _ = svc.felmee(t, "POST", "/api/auth/refresh-token", "", map[string]string{"RT": "Bearer " + rt}); status != 401 || codeError(a) != "unauthorized" {
		t.Fatalf("reused RT: %d %+v", status, a)
	}
	if status, _, _ = svc.felmee(t, "POST", "/api/auth/refresh-token", "", map[string]string{"RT": newest}); status != 401 {
		t.Fatalf("the family's newest RT after a reuse: %d, want 401", status)
	}
	if status, a, _ = svc.felmee(t, "POST", "/api/auth/email/send/otp", `{"recipient":"other@example.com"}`, auth); status != 401 {
		t.Fatalf("the revoked session's JWT: %d %+v", status, a)
	}
}

// TestFelmeeThrottlesHoldAcrossProcesses: two gatehouse processes on one
// storage and one real redis-server share the resend cooldown, the hourly
// budgets and each code's attempts.
func TestFelmeeThrottlesHoldAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the service twice and a redis-server")
	}
	redis := startRedis(t)
	env := []string{"GATEHOUSE_DEV=true", "GATEHOUSE_FORCE_DEV=true", "GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_REDIS_URL=" + redis.URL(),
		"GATEHOUSE_PASSWORDLESS_SENDS_PER_IP=6", "GATEHOUSE_PASSWORDLESS_SENDS_PER_RECIPIENT=2", "GATEHOUSE_PASSWORDLESS_RESEND_COOLDOWN=2s"}
	logs := &logRecords{}
	a := startServiceLogging(t, slog.New(slog.NewJSONHandler(logs, nil)), env...)
	b := startService(t, env...)
	captcha := map[string]string{"captcha-token": "dev"}
	send := func(svc *service, phone string) (int, string) {
		status, ans, _ := svc.felmee(t, "POST", "/api/auth/phone/send/otp", `{"recipient":"`+phone+`"}`, captcha)
		return status, codeError(ans)
	}
	wantSend := func(svc *service, phone string, status int, ce string) {
		t.Helper()
		if got, gotCE := send(svc, phone); got != status || gotCE != ce {
			t.Fatalf("send to %s: %d %q, want %d %q", phone, got, gotCE, status, ce)
		}
	}
	wantSend(a, "+79991110001", 200, "")
	wantSend(b, "+79991110001", 429, "too_many_requests") // the cooldown A started
	time.Sleep(2100 * time.Millisecond)
	wantSend(b, "+79991110001", 200, "")
	time.Sleep(2100 * time.Millisecond)
	wantSend(a, "+79991110001", 429, "too_many_requests") // its hourly budget of 2, spent on A and B
	wantSend(a, "+79991110002", 200, "")
	wantSend(b, "+79991110003", 200, "") // the address's 6th send of the hour, refused ones counted
	wantSend(b, "+79991110004", 429, "too_many_requests")

	// The code goes out after the answer; presentations before it would
	// count against no code. Five, split between the processes, spend it.
	logs.find(t, "phone code", "+79991110002", "code")
	login := func(svc *service) string {
		_, ans, _ := svc.felmee(t, "POST", "/api/auth/phone/login", `{"phone":"+79991110002","otp":"000000"}`, nil)
		return codeError(ans)
	}
	for i := range 5 {
		svc := []*service{a, b}[i%2]
		if ce := login(svc); ce != "code_invalid" {
			t.Fatalf("wrong code %d: %q", i+1, ce)
		}
	}
	if ce := login(b); ce != "code_exhausted" {
		t.Fatalf("sixth presentation: %q, want code_exhausted", ce)
	}
}
