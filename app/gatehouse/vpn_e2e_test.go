package main

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// call sends one request to the service and returns the status and body.
func call(tb testing.TB, method, url, body, token string) (int, []byte) {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
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
	return resp.StatusCode, data
}

// decode unmarshals a body or fails with it.
func decode(tb testing.TB, data []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		tb.Fatalf("%s: %v", data, err)
	}
}

// field is the value of "name:\t<value>" in a command's output.
func field(tb testing.TB, out, name string) string {
	tb.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `:\s+(\S+)`).FindStringSubmatch(out)
	if m == nil {
		tb.Fatalf("no %q in\n%s", name, out)
	}
	return m[1]
}

// TestVPNEndToEnd walks contract 001 on the running service: an account
// made through contract 004 signs in with a device, sees the servers the
// CLI added, gets a WireGuard config wg-quick accepts and an Outline key
// from a fake Outline server, is refused a device beyond the limit, and
// after `gatehouse vpn subscription revoke` its keys are gone at the
// servers and the dynamic key answers an error.
func TestVPNEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole service")
	}
	outline := newFakeOutline(t)
	serverKey, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env := []string{"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_VPN_AGENT_SECRET=e2e-agent-secret-of-at-least-32-bytes"}
	base := startService(t, env...)

	reg := `{"login":"olga_vpn","password":"Zt8wQp3mN","email":"olga.vpn@example.com","first_name":"Ольга","last_name":"Петрова"}`
	if code, body := call(t, http.MethodPost, base+"/account/registration", reg, ""); code != http.StatusOK {
		t.Fatalf("004 registration: %d %s", code, body)
	}
	code, out, stderr := runCmd(t, env, "vpn", "server", "add", "--protocol", "wireguard", "--country", "Finland",
		"--city", "Helsinki", "--endpoint", "vpn1.example.com:51820",
		"--public-key", base64.StdEncoding.EncodeToString(serverKey.PublicKey().Bytes()))
	if code != 0 {
		t.Fatalf("server add wireguard: exit %d\n%s%s", code, out, stderr)
	}
	wgID, agentToken := field(t, out, "id"), field(t, out, "agent token")
	code, out, stderr = runCmd(t, env, "vpn", "server", "add", "--protocol", "outline", "--country", "Estonia",
		"--city", "Tallinn", "--endpoint", "127.0.0.1:12345", "--api-url", outline.apiURL(), "--cert-sha256", outline.certSHA256())
	if code != 0 {
		t.Fatalf("server add outline: exit %d\n%s%s", code, out, stderr)
	}
	olID := field(t, out, "id")
	if code, out, stderr = runCmd(t, env, "vpn", "subscription", "grant", "olga_vpn", "--days", "30", "--devices", "1"); code != 0 {
		t.Fatalf("grant: exit %d\n%s%s", code, out, stderr)
	}

	// Contract 001: the document's login with a device.
	var login struct {
		Token    string `json:"token"`
		DeviceID string `json:"device_id"`
	}
	code, body := call(t, http.MethodPost, base+"/api/login",
		`{"email":"olga.vpn@example.com","password":"Zt8wQp3mN","device_id":"uuid-1-1-1","device_name":"iPhone 12"}`, "")
	if code != http.StatusOK {
		t.Fatalf("login: %d %s", code, body)
	}
	decode(t, body, &login)
	var servers struct {
		Data []struct {
			ID       int64  `json:"id"`
			Protocol string `json:"protocol"`
		} `json:"data"`
	}
	code, body = call(t, http.MethodPost, base+"/api/servers", `{"device_id":`+login.DeviceID+`}`, login.Token)
	if decode(t, body, &servers); code != http.StatusOK || len(servers.Data) != 2 {
		t.Fatalf("servers: %d %s", code, body)
	}

	type keyAnswer struct {
		Data struct {
			Key        string `json:"key"`
			Config     string `json:"config"`
			DynamicURL string `json:"dynamic_url"`
		} `json:"data"`
	}
	var wgKey, olKey keyAnswer
	code, body = call(t, http.MethodPost, base+"/api/key", `{"server_id":`+wgID+`,"device_id":"`+login.DeviceID+`"}`, login.Token)
	if decode(t, body, &wgKey); code != http.StatusOK || wgKey.Data.Config == "" {
		t.Fatalf("wireguard key: %d %s", code, body)
	}
	var peers struct {
		Data struct {
			Peers []struct {
				PublicKey string `json:"public_key"`
			} `json:"peers"`
		} `json:"data"`
	}
	code, body = call(t, http.MethodGet, base+"/api/vpn/agent/servers/"+wgID+"/peers", "", agentToken)
	if decode(t, body, &peers); code != http.StatusOK || len(peers.Data.Peers) != 1 {
		t.Fatalf("peers: %d %s", code, body)
	}
	checkWireGuardConfig(t, wgKey.Data.Config, peers.Data.Peers[0].PublicKey)

	code, body = call(t, http.MethodPost, base+"/api/key", `{"server_id":`+olID+`,"device_id":`+login.DeviceID+`}`, login.Token)
	if decode(t, body, &olKey); code != http.StatusOK || !strings.HasPrefix(olKey.Data.Key, "ssconf://") || outline.count() != 1 {
		t.Fatalf("outline key: %d %s (the fake holds %d keys)", code, body, outline.count())
	}
	dynamic := base + olKey.Data.DynamicURL[strings.Index(olKey.Data.DynamicURL, "/api/vpn/dynamic/"):]
	var ss struct {
		ServerPort int    `json:"server_port"`
		Method     string `json:"method"`
	}
	code, body = call(t, http.MethodGet, dynamic, "", "")
	if decode(t, body, &ss); code != http.StatusOK || ss.ServerPort != 12345 || ss.Method != "chacha20-ietf-poly1305" {
		t.Fatalf("dynamic key: %d %s", code, body)
	}

	code, body = call(t, http.MethodPost, base+"/api/login",
		`{"email":"olga.vpn@example.com","password":"Zt8wQp3mN","device_id":"uuid-2-2-2","device_name":"Laptop"}`, "")
	if code != http.StatusForbidden || !bytes.Contains(body, []byte("Device limit reached")) {
		t.Fatalf("a second device under a limit of 1: %d %s", code, body)
	}
	for _, path := range []string{"/api/user", "/api/subscription", "/api/userApp"} {
		code, body := call(t, http.MethodGet, base+path, "", "")
		if code != http.StatusUnauthorized || string(bytes.TrimSpace(body)) != `{"message":"Unauthenticated."}` {
			t.Fatalf("%s without a token: %d %s", path, code, body)
		}
	}
	code, body = call(t, http.MethodPost, base+"/api/login", `{"email":"olga.vpn@example.com","password":"wrong-one","device_id":"x"}`, "")
	if code != http.StatusUnauthorized || string(bytes.TrimSpace(body)) != `{"error":"Неверный логин или пароль"}` {
		t.Fatalf("wrong password: %d %s", code, body)
	}

	if code, out, stderr = runCmd(t, env, "vpn", "subscription", "revoke", "olga_vpn"); code != 0 {
		t.Fatalf("revoke: exit %d\n%s%s", code, out, stderr)
	}
	if outline.count() != 0 {
		t.Fatalf("the Outline server still holds %d keys after the revoke", outline.count())
	}
	code, body = call(t, http.MethodGet, base+"/api/vpn/agent/servers/"+wgID+"/peers", "", agentToken)
	if decode(t, body, &peers); code != http.StatusOK || len(peers.Data.Peers) != 0 {
		t.Fatalf("peers after the revoke: %d %s", code, body)
	}
	code, body = call(t, http.MethodGet, dynamic, "", "")
	if code < 400 || !bytes.HasPrefix(body, []byte(`{"error":{"message":`)) {
		t.Fatalf("dynamic key after the revoke: %d %s", code, body)
	}
}

// checkWireGuardConfig has wg-quick parse the config and wg derive the
// public key of its private key, which must be the peer list's. Without
// wireguard-tools installed it is skipped, except on CI.
func checkWireGuardConfig(tb testing.TB, config, peerPublicKey string) {
	tb.Helper()
	m := regexp.MustCompile(`(?m)^PrivateKey = (\S+)$`).FindStringSubmatch(config)
	if m == nil {
		tb.Fatalf("no PrivateKey in\n%s", config)
	}
	raw, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		tb.Fatal(err)
	}
	priv, err := ecdh.X25519().NewPrivateKey(raw)
	if err != nil {
		tb.Fatal(err)
	}
	if got := base64.StdEncoding.EncodeToString(priv.PublicKey().Bytes()); got != peerPublicKey {
		tb.Fatalf("the config's private key derives %s; the peer list has %s", got, peerPublicKey)
	}
	wgQuick, err1 := exec.LookPath("wg-quick")
	wg, err2 := exec.LookPath("wg")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("wireguard-tools are not installed (apt-get install wireguard-tools)")
		}
		tb.Log("wireguard-tools not installed: wg-quick's check skipped")
		return
	}
	file := filepath.Join(tb.TempDir(), "wg0.conf")
	if err := os.WriteFile(file, []byte(config), 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command(wgQuick, "strip", file).CombinedOutput(); err != nil {
		tb.Fatalf("wg-quick strip refused the config: %v\n%s\n%s", err, out, config)
	}
	cmd := exec.Command(wg, "pubkey")
	cmd.Stdin = strings.NewReader(m[1] + "\n")
	out, err := cmd.Output()
	if err != nil {
		tb.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != peerPublicKey {
		tb.Fatalf("wg pubkey = %s; the peer list has %s", got, peerPublicKey)
	}
}
