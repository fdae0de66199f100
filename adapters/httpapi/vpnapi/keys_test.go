package vpnapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/httpapitest"
	"gatehouse/adapters/httpapi/vpnapi"
	"gatehouse/core/vpn"
)

// keyData is the key resource.
type keyData struct {
	Data struct {
		ID         string  `json:"id"`
		ServerID   int64   `json:"server_id"`
		DeviceID   int64   `json:"device_id"`
		Protocol   string  `json:"protocol"`
		Key        string  `json:"key"`
		AccessURL  *string `json:"access_url"`
		DynamicURL *string `json:"dynamic_url"`
		Config     *string `json:"config"`
	} `json:"data"`
}

func TestServersAndKeys(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.grant(t, e.register(t, "gleb"), 30, 2)
	ol := e.addServer(t, vpn.Outline, "Amsterdam")
	wg := e.addServer(t, vpn.WireGuard, "Rotterdam")
	token, device := e.login(t, "gleb", "uuid-gleb-phone")
	auth := httpapitest.Bearer(token)

	var list struct {
		Data []struct {
			ID       int64  `json:"id"`
			City     string `json:"city"`
			PingURL  string `json:"ping_url"`
			Protocol string `json:"protocol"`
			HasKey   bool   `json:"has_key"`
		} `json:"data"`
	}
	r := e.Call(t, http.MethodPost, "/api/servers", map[string]any{"device_id": device}, auth)
	r.JSON(t, &list)
	if r.Status != http.StatusOK || len(list.Data) != 2 || list.Data[0].City != "Amsterdam" || list.Data[0].HasKey {
		t.Fatalf("servers = %d %s", r.Status, r.Body)
	}
	documentHeaders(t, r)

	var k keyData
	r = e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": ol.ID, "device_id": device}, auth)
	r.JSON(t, &k)
	if r.Status != http.StatusOK || !strings.HasPrefix(k.Data.Key, "ssconf://vpn.example.com/api/vpn/dynamic/") ||
		k.Data.AccessURL == nil || !strings.HasPrefix(*k.Data.AccessURL, "ss://") || k.Data.ServerID != ol.ID {
		t.Fatalf("outline key = %d %s", r.Status, r.Body)
	}
	var again keyData
	e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": ol.ID, "device_id": device}, auth).JSON(t, &again)
	if again.Data.ID != k.Data.ID || e.outline.count() != 1 {
		t.Fatalf("asking again gave key %s after %s; the server holds %d", again.Data.ID, k.Data.ID, e.outline.count())
	}
	var w keyData
	r = e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": wg.ID, "device_id": device}, auth)
	r.JSON(t, &w)
	if r.Status != http.StatusOK || w.Data.Config == nil || !strings.HasPrefix(w.Data.Key, "[Interface]") || w.Data.DynamicURL != nil {
		t.Fatalf("wireguard key = %d %s", r.Status, r.Body)
	}
	r = e.Call(t, http.MethodPost, "/api/vpn/key/qr", map[string]any{"server_id": wg.ID, "device_id": device}, auth)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("qr = %d %s", r.Status, r.Header)
	}
	r = e.Call(t, http.MethodPost, "/api/servers", map[string]any{"device_id": device}, auth)
	r.JSON(t, &list)
	if !list.Data[0].HasKey || !list.Data[1].HasKey {
		t.Fatalf("servers after the keys = %s", r.Body)
	}

	tests := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"no server", map[string]any{"device_id": device}, http.StatusUnprocessableEntity, `"errors":{"server_id":["The server id field is required."]}`},
		{"unknown server", map[string]any{"server_id": 99, "device_id": device}, http.StatusNotFound, `"message":"Server not found."`},
		{"another's device", map[string]any{"server_id": ol.ID, "device_id": 999}, http.StatusNotFound, `"message":"Device not found."`},
		{"negative id", map[string]any{"server_id": -1, "device_id": device}, http.StatusUnprocessableEntity, `"errors":{"server_id"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.Call(t, http.MethodPost, "/api/key", tt.body, auth)
			if r.Status != tt.status || !strings.Contains(string(r.Body), tt.want) {
				t.Fatalf("= %d %s, want %d %s", r.Status, r.Body, tt.status, tt.want)
			}
		})
	}
}

func TestKeysNeedAnActiveSubscription(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.register(t, "dina")
	s := e.addServer(t, vpn.Outline, "Riga")
	token, device := e.login(t, "dina", "uuid-dina")
	r := e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": s.ID, "device_id": device}, httpapitest.Bearer(token))
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "subscription is not active") {
		t.Fatalf("key without a subscription = %d %s", r.Status, r.Body)
	}
	var sub struct {
		Data struct {
			Subscription struct {
				Status   string `json:"status"`
				IsActive bool   `json:"is_active"`
			} `json:"subscription"`
		} `json:"data"`
	}
	r = e.Call(t, http.MethodGet, "/api/subscription", nil, httpapitest.Bearer(token))
	r.JSON(t, &sub)
	if r.Status != http.StatusOK || sub.Data.Subscription.Status != "none" || sub.Data.Subscription.IsActive {
		t.Fatalf("subscription = %d %s", r.Status, r.Body)
	}
}

func TestDeviceLimitAndRemovingADevice(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	e.grant(t, e.register(t, "egor"), 30, 2)
	s := e.addServer(t, vpn.Outline, "Oslo")
	phone, phoneID := e.login(t, "egor", "phone")
	e.login(t, "egor", "tablet")
	body := httpapitest.With(e.Example(t, http.MethodPost, "/api/login"),
		"email", "egor@example.com", "password", password, "device_id", "laptop")
	r := e.Call(t, http.MethodPost, "/api/login", body, nil)
	if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "Device limit reached") ||
		!strings.Contains(string(r.Body), "free a slot") {
		t.Fatalf("a third device = %d %s", r.Status, r.Body)
	}
	auth := httpapitest.Bearer(phone)
	if r := e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": s.ID, "device_id": phoneID}, auth); r.Status != http.StatusOK {
		t.Fatalf("key = %d %s", r.Status, r.Body)
	}
	var app struct {
		Data struct {
			Subscription struct {
				DeviceLimit  int `json:"device_limit"`
				DevicesCount int `json:"devices_count"`
				DaysLeft     int `json:"days_left"`
			} `json:"subscription"`
			Devices []struct {
				ID             int64  `json:"id"`
				ClientDeviceID string `json:"client_device_id"`
			} `json:"devices"`
		} `json:"data"`
	}
	e.Call(t, http.MethodGet, "/api/userApp", nil, auth).JSON(t, &app)
	if s := app.Data.Subscription; s.DeviceLimit != 2 || s.DevicesCount != 2 || s.DaysLeft != 30 || len(app.Data.Devices) != 2 {
		t.Fatalf("userApp = %+v", app.Data)
	}
	tablet := app.Data.Devices[1]
	if r := e.Call(t, http.MethodDelete, "/api/vpn/devices/"+itoa(tablet.ID), nil, auth); r.Status != http.StatusNoContent {
		t.Fatalf("remove = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodDelete, "/api/vpn/devices/"+itoa(tablet.ID), nil, auth); r.Status != http.StatusNotFound {
		t.Fatalf("remove again = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodPost, "/api/login", body, nil); r.Status != http.StatusOK {
		t.Fatalf("the freed slot = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodDelete, "/api/vpn/devices/"+phoneID, nil, auth); r.Status != http.StatusNoContent || e.outline.count() != 0 {
		t.Fatalf("removing the device with a key = %d, the server holds %d keys", r.Status, e.outline.count())
	}
	// The token was bound to the phone: removing the phone signed it out.
	if r := e.Call(t, http.MethodGet, "/api/user", nil, auth); r.Status != http.StatusUnauthorized {
		t.Fatalf("the removed device's token = %d %s, want 401", r.Status, r.Body)
	}
}

func TestSubscriptionLinkAndDynamicKey(t *testing.T) {
	e := newEnv(t, vpnapi.Options{})
	userID := e.register(t, "fedor")
	e.grant(t, userID, 10, 2)
	ol := e.addServer(t, vpn.Outline, "Tallinn")
	wg := e.addServer(t, vpn.WireGuard, "Tartu")
	token, device := e.login(t, "fedor", "phone")
	auth := httpapitest.Bearer(token)
	var k keyData
	e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": ol.ID, "device_id": device}, auth).JSON(t, &k)
	e.Call(t, http.MethodPost, "/api/key", map[string]any{"server_id": wg.ID, "device_id": device}, auth)

	var link struct {
		Data struct {
			URL string `json:"url"`
		} `json:"data"`
	}
	r := e.Call(t, http.MethodPost, "/api/vpn/subscription-link", nil, auth)
	r.JSON(t, &link)
	path, ok := strings.CutPrefix(link.Data.URL, publicURL)
	if r.Status != http.StatusCreated || !ok {
		t.Fatalf("issue link = %d %s", r.Status, r.Body)
	}
	// Keys come oldest first; these two were made at one instant.
	lines := feedLines(t, e, path)
	byScheme := map[string]string{}
	for _, l := range lines {
		scheme, _, _ := strings.Cut(l, "://")
		byScheme[scheme] = l
	}
	if len(lines) != 3 || len(byScheme) != 3 || !strings.HasSuffix(byScheme["ss"], "/?outline=1#Netherlands%2C%20Tallinn") ||
		!strings.HasPrefix(byScheme["ssconf"], "ssconf://vpn.example.com/api/vpn/dynamic/") ||
		!strings.Contains(byScheme["wireguard"], "@203.0.113.5:51820?address=10.8.0.2%2F32") {
		t.Fatalf("feed lines %q", lines)
	}

	dynamic := strings.TrimPrefix(*k.Data.DynamicURL, "ssconf://vpn.example.com")
	var cfg struct {
		Server     string `json:"server"`
		ServerPort int    `json:"server_port"`
		Password   string `json:"password"`
		Method     string `json:"method"`
	}
	r = e.Call(t, http.MethodGet, dynamic, nil, nil)
	r.JSON(t, &cfg)
	if r.Status != http.StatusOK || cfg.Server != "203.0.113.5" || cfg.ServerPort != 51820 || cfg.Method != "chacha20-ietf-poly1305" || cfg.Password == "" {
		t.Fatalf("dynamic key = %d %s", r.Status, r.Body)
	}

	if _, err := e.vpn.RevokeSubscription(context.Background(), userID); err != nil {
		t.Fatal(err)
	}
	r = e.Call(t, http.MethodGet, dynamic, nil, nil)
	if r.Status < 400 || !strings.HasPrefix(string(r.Body), `{"error":{"message":`) {
		t.Fatalf("dynamic key after the revoke = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, path, nil, nil); r.Status != http.StatusForbidden {
		t.Fatalf("feed after the revoke = %d %s", r.Status, r.Body)
	}
	if e.outline.count() != 0 || e.wg.count() != 0 {
		t.Fatalf("keys left at the servers: outline %d, wireguard %d", e.outline.count(), e.wg.count())
	}
	e.grant(t, userID, 10, 2)
	if r := e.Call(t, http.MethodDelete, "/api/vpn/subscription-link", nil, auth); r.Status != http.StatusNoContent {
		t.Fatalf("revoke link = %d %s", r.Status, r.Body)
	}
	if r := e.Call(t, http.MethodGet, path, nil, nil); r.Status != http.StatusNotFound {
		t.Fatalf("a revoked link = %d %s", r.Status, r.Body)
	}
}
