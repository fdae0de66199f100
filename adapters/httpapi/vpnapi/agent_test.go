package vpnapi_test

import (
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/vpnapi"
	"gatehouse/core/vpn"
)

func TestAgentPeerList(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.grant(t, e.register(t, "ilya"), 30, 2)
	wg := e.addServer(t, vpn.WireGuard, "Bergen")
	other := e.addServer(t, vpn.WireGuard, "Tromso")
	token, device := e.login(t, "ilya", "phone")
	var k keyData
	e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": wg.ID, "device_id": device}, httpapitest.Bearer(token)).JSON(t, &k)

	path := "/api/vpn/agent/servers/" + itoa(wg.ID) + "/peers"
	agent := httpapitest.Bearer(vpnapi.AgentToken(agentSecret, wg.ID))
	var peers struct {
		Data struct {
			ServerID int64 `json:"server_id"`
			Peers    []struct {
				PublicKey  string   `json:"public_key"`
				AllowedIPs []string `json:"allowed_ips"`
			} `json:"peers"`
		} `json:"data"`
	}
	r := e.Call(t, http.MethodGet, path, nil, agent)
	r.JSON(t, &peers)
	if r.Status != http.StatusOK || len(peers.Data.Peers) != 1 || peers.Data.Peers[0].AllowedIPs[0] != "10.8.0.2/32" {
		t.Fatalf("peers = %d %s", r.Status, r.Body)
	}
	r = e.Call(t, http.MethodGet, path+"?format=wg", nil, agent)
	if want := "[Peer]\nPublicKey = " + peers.Data.Peers[0].PublicKey + "\nPresharedKey = "; r.Status != http.StatusOK || !strings.HasPrefix(string(r.Body), want) ||
		!strings.HasSuffix(string(r.Body), "AllowedIPs = 10.8.0.2/32, fdcc:ad94:bacf:61a4::cafe:2/128\n") {
		t.Fatalf("peers as wg = %d %q", r.Status, r.Body)
	}

	refused := map[string]http.Header{
		"another server's token": httpapitest.Bearer(vpnapi.AgentToken(agentSecret, other.ID)),
		"another secret":         httpapitest.Bearer(vpnapi.AgentToken(agentSecret+"!", wg.ID)),
		"a user's token":         httpapitest.Bearer(token),
	}
	for name, h := range refused {
		t.Run(name, func(t *testing.T) {
			if r := e.Call(t, http.MethodGet, path, nil, h); r.Status != http.StatusUnauthorized {
				t.Fatalf("= %d %s", r.Status, r.Body)
			}
		})
	}

	dump := "priv\t" + wg.WireGuard.PublicKey + "\t51820\toff\n" +
		peers.Data.Peers[0].PublicKey + "\t(none)\t198.51.100.7:40000\t10.8.0.2/32\t1740830400\t1200\t3400\t0\n"
	req, resp := e.Serve(t, http.MethodPost, "/api/vpn/agent/servers/"+itoa(wg.ID)+"/stats", dump,
		http.Header{"Authorization": agent["Authorization"], "Content-Type": {"text/plain"}})
	e.Validate(t, req, resp)
	if resp.Status != http.StatusNoContent {
		t.Fatalf("stats = %d %s", resp.Status, resp.Body)
	}
	_, resp = e.Serve(t, http.MethodPost, "/api/vpn/agent/servers/"+itoa(wg.ID)+"/stats", "garbage\tline\n",
		http.Header{"Authorization": agent["Authorization"], "Content-Type": {"text/plain"}})
	if resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("garbage stats = %d %s", resp.Status, resp.Body)
	}
}

func TestOnlyThisContractsPathsAnswerInItsShape(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	tests := []struct {
		method, path, want string
		status             int
	}{
		{http.MethodGet, "/api/vpn/nothing", `{"message":"No such endpoint."}`, http.StatusNotFound},
		{http.MethodGet, "/api/login", `{"message":"Method GET is not allowed here."}`, http.StatusMethodNotAllowed},
		{http.MethodGet, "/api/auth/login", `{"error":{"code":"not_found"`, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, r := e.Serve(t, tt.method, tt.path, nil, nil)
			if r.Status != tt.status || !strings.HasPrefix(string(r.Body), tt.want) {
				t.Fatalf("= %d %s, want %d %s", r.Status, r.Body, tt.status, tt.want)
			}
		})
	}
}

func TestPrefixMovesEveryPath(t *testing.T) {
	e := newEnv(t, vpnapi.Options{Prefix: "/vpn"})
	e.register(t, "kira")
	body := map[string]any{"email": "kira@example.com", "password": password, "device_id": "d1"}
	if r := e.Call(t, http.MethodPost, "/vpn/api/login", body, nil); r.Status != http.StatusOK {
		t.Fatalf("prefixed login = %d %s", r.Status, r.Body)
	}
	if _, r := e.Serve(t, http.MethodPost, "/api/login", body, nil); r.Status != http.StatusNotFound {
		t.Fatalf("unprefixed login = %d", r.Status)
	}
}
