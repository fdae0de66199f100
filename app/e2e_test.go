package app

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"gatehouse/adapters/httpapi"
	"gatehouse/config"
)

// service is one running gatehouse, the whole fx app, on a free port.
type service struct {
	app  *fx.App
	base string
}

func startService(tb testing.TB, env ...string) *service {
	tb.Helper()
	return startServiceLogging(tb, quietLog(), env...)
}

func startServiceLogging(tb testing.TB, log *slog.Logger, env ...string) *service {
	tb.Helper()
	cfg, err := config.Load("", append([]string{"GATEHOUSE_HTTP_ADDR=127.0.0.1:0"}, env...))
	if err != nil {
		tb.Fatal(err)
	}
	var srv *httpapi.Server
	a := fx.New(append(Options(cfg, Build{Version: "test", Commit: "abc"}, log), fx.Populate(&srv))...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		tb.Fatalf("start: %v", err)
	}
	s := &service{app: a, base: "http://" + srv.Addr()}
	tb.Cleanup(func() { s.stop(tb) })
	return s
}

func (s *service) stop(tb testing.TB) {
	if s.app == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.app.Stop(ctx); err != nil {
		tb.Errorf("stop: %v", err)
	}
	s.app = nil
}

// call sends a request and decodes a JSON answer into out (when not nil).
func (s *service) call(tb testing.TB, method, path, body string, header map[string]string, out any) int {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil {
		if raw, ok := out.(*[]byte); ok {
			*raw = data
		} else if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: %d %s: %v", method, path, resp.StatusCode, data, err)
		}
	}
	return resp.StatusCode
}

type pair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// TestEndToEnd boots the whole service with the embedded defaults, walks a
// user through contract 003's login slice, restarts on the same data dir,
// and checks that the user and the tokens survive.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the embedded database")
	}
	dataDir := t.TempDir()
	svc := startService(t, "GATEHOUSE_DATA_DIR="+dataDir)

	for _, path := range []string{"/healthz", "/status"} {
		if code := svc.call(t, "GET", path, "", nil, nil); code != 200 {
			t.Fatalf("GET %s: %d", path, code)
		}
	}
	var ready struct {
		Checks map[string]string `json:"checks"`
	}
	if code := svc.call(t, "GET", "/readyz", "", nil, &ready); code != 200 || ready.Checks["storage"] != "ok" || ready.Checks["cache"] != "ok" {
		t.Fatalf("readyz: %d %+v, want storage and cache ok", code, ready)
	}

	const creds = `{"login":"ada@example.com","password":"correct horse battery","locale":"en"}`
	if code := svc.call(t, "POST", "/v1/user", creds, nil, nil); code != 201 {
		t.Fatalf("register: %d", code)
	}
	login := `{"username":"ada@example.com","password":"correct horse battery"}`
	var first pair
	if code := svc.call(t, "POST", "/v1/auth/login", login, nil, &first); code != 200 || first.AccessToken == "" {
		t.Fatalf("login: %d %+v", code, first)
	}
	var profile struct {
		ID     string `json:"id"`
		Locale string `json:"locale"`
	}
	if code := svc.call(t, "GET", "/v1/user/profile", "", bearer(first.AccessToken), &profile); code != 200 || profile.ID == "" {
		t.Fatalf("profile: %d %+v", code, profile)
	}

	var second pair
	if code := svc.call(t, "POST", "/v1/auth/refresh", `{"refresh_token":"`+first.RefreshToken+`"}`, nil, &second); code != 200 {
		t.Fatalf("refresh: %d", code)
	}
	var eb errorBody
	if code := svc.call(t, "POST", "/v1/auth/refresh", `{"refresh_token":"`+first.RefreshToken+`"}`, nil, &eb); code != 401 || eb.Error.Code != "unauthenticated" {
		t.Fatalf("reuse of the old refresh token: %d %+v", code, eb)
	}
	if code := svc.call(t, "POST", "/v1/auth/refresh", `{"refresh_token":"`+second.RefreshToken+`"}`, nil, nil); code != 401 {
		t.Fatalf("the newest token of a family revoked by reuse: %d, want 401", code)
	}

	var pemBytes []byte
	if code := svc.call(t, "GET", "/v1/auth/publicKey", "", nil, &pemBytes); code != 200 {
		t.Fatalf("publicKey: %d", code)
	}
	verifyWithPEM(t, pemBytes, first.AccessToken)

	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/v1/auth/login", `{"username":`},
		{"POST", "/v1/auth/login", `{"username":42,"password":"x"}`},
		{"POST", "/v1/auth/login", `{"password":"x"}`},
		{"GET", "/no/such/route", ""},
	} {
		eb = errorBody{}
		code := svc.call(t, tc.method, tc.path, tc.body, nil, &eb)
		if code < 400 || code >= 500 || eb.Error.Message == "" {
			t.Errorf("%s %s %q: %d %+v, want a 4xx in the error shape", tc.method, tc.path, tc.body, code, eb)
		}
	}

	// A restart on the same data dir keeps the user, the keys and the session.
	svc.stop(t)
	svc = startService(t, "GATEHOUSE_DATA_DIR="+dataDir)
	var third pair
	if code := svc.call(t, "POST", "/v1/auth/login", login, nil, &third); code != 200 {
		t.Fatalf("login after restart: %d", code)
	}
	var third2 pair
	if code := svc.call(t, "POST", "/v1/auth/login", login, nil, &third2); code != 200 {
		t.Fatalf("second login after restart: %d", code)
	}
	var p2 pair
	if code := svc.call(t, "POST", "/v1/auth/refresh", `{"refresh_token":"`+third.RefreshToken+`"}`, nil, &p2); code != 200 {
		t.Fatalf("refresh after restart: %d", code)
	}
	if code := svc.call(t, "GET", "/v1/user/profile", "", bearer(third2.AccessToken), nil); code != 200 {
		t.Fatalf("profile with a fresh token after restart: %d", code)
	}
	if code := svc.call(t, "GET", "/readyz", "", nil, nil); code != 200 {
		t.Fatalf("readyz after restart: %d", code)
	}
}

// TestTokenSurvivesRestart checks that an access token issued before a
// restart still works after it (keys and sessions are persisted).
func TestTokenSurvivesRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the embedded database")
	}
	dataDir := t.TempDir()
	svc := startService(t, "GATEHOUSE_DATA_DIR="+dataDir)
	svc.call(t, "POST", "/v1/user", `{"login":"bob@example.com","password":"a long passphrase"}`, nil, nil)
	var p pair
	if code := svc.call(t, "POST", "/v1/auth/login", `{"username":"bob@example.com","password":"a long passphrase"}`, nil, &p); code != 200 {
		t.Fatalf("login: %d", code)
	}
	svc.stop(t)
	svc = startService(t, "GATEHOUSE_DATA_DIR="+dataDir)
	if code := svc.call(t, "GET", "/v1/user/profile", "", bearer(p.AccessToken), nil); code != 200 {
		t.Fatalf("profile with a token from before the restart: %d", code)
	}
	var next pair
	if code := svc.call(t, "POST", "/v1/auth/refresh", `{"refresh_token":"`+p.RefreshToken+`"}`, nil, &next); code != 200 {
		t.Fatalf("refresh with a token from before the restart: %d", code)
	}
}

// verifyWithPEM checks an EdDSA JWT's signature with a PKIX PEM public key,
// as a client of contract 003 would.
func verifyWithPEM(tb testing.TB, pemBytes []byte, token string) {
	tb.Helper()
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "PUBLIC KEY" {
		tb.Fatalf("publicKey is not a PUBLIC KEY PEM: %q", pemBytes)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		tb.Fatalf("not a compact JWS: %q", token)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		tb.Fatal(err)
	}
	var key crypto.PublicKey = pub
	edKey, ok := key.(ed25519.PublicKey)
	if !ok {
		tb.Fatalf("default key is %T, want Ed25519", pub)
	}
	if !ed25519.Verify(edKey, []byte(parts[0]+"."+parts[1]), sig) {
		tb.Fatal("the access token does not verify against /v1/auth/publicKey")
	}
	if !bytes.Contains(pemBytes, []byte("BEGIN PUBLIC KEY")) {
		tb.Fatal("no PEM header")
	}
}
