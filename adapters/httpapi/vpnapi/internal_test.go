package vpnapi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"gatehouse/core/fault"
)

func TestLaravelErrorBodies(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		want   string
	}{
		{"missing field", required(field{"server_id", ""}), 422,
			`{"message":"The server id field is required.","errors":{"server_id":["The server id field is required."]}}`},
		{"unauthenticated of any reason", fault.New(fault.Unauthenticated, "sessions.token_expired", "Token expired."), 401,
			`{"message":"Unauthenticated."}`},
		{"forbidden", fault.New(fault.Forbidden, "vpn.device_limit", "Device limit reached."), 403, `{"message":"Device limit reached."}`},
		{"unavailable", fault.New(fault.Unavailable, "vpn.provisioner_unavailable", "Down."), 503, `{"message":"Down."}`},
		{"internal", errors.New("mongo: password hunter2"), 500, `{"message":"Server Error"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := json.Marshal(bodyOf(tt.err))
			if statusOf(tt.err) != tt.status || string(raw) != tt.want {
				t.Fatalf("= %d %s, want %d %s", statusOf(tt.err), raw, tt.status, tt.want)
			}
		})
	}
}

func TestParseSIP002(t *testing.T) {
	want := shadowsocksConfig{Server: "203.0.113.5", ServerPort: 12345, Password: "s3cr/t+", Method: "chacha20-ietf-poly1305"}
	tests := []struct {
		url string
		ok  bool
	}{
		{"ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzM2NyL3Qr@203.0.113.5:12345/?outline=1", true},
		{"ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzM2NyL3Qr@203.0.113.5:12345/?outline=1#Name", true},
		{"ss://chacha20-ietf-poly1305:s3cr%2Ft%2B@203.0.113.5:12345", true},
		{"ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzM2NyL3Qr@203.0.113.5:0/", false},
		{"vmess://abc", false},
	}
	for _, tt := range tests {
		got, ok := parseSIP002(tt.url)
		if ok != tt.ok || (ok && got != want) {
			t.Errorf("parseSIP002(%q) = %+v, %v", tt.url, got, ok)
		}
	}
	v6, ok := parseSIP002("ss://Y2hhY2hhMjAtaWV0Zi1wb2x5MTMwNTpzM2NyL3Qr@[2001:db8::5]:443/?outline=1")
	if !ok || v6.Server != "2001:db8::5" || v6.ServerPort != 443 {
		t.Errorf("IPv6 host: %+v %v", v6, ok)
	}
}

func TestParseDump(t *testing.T) {
	key := "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
	tests := []struct {
		name, body string
		n          int
		ok         bool
	}{
		{"interface only", "priv\tpub\t51820\toff\n", 0, true},
		{"one peer", "priv\tpub\t51820\toff\n" + key + "\t(none)\t(none)\t10.8.0.2/32\t0\t0\t0\toff\n", 1, true},
		{"all interfaces", "wg0\tpriv\tpub\t51820\toff\nwg0\t" + key + "\tpsk\t1.2.3.4:5\t10.8.0.2/32\t1740830400\t10\t20\t25\n", 1, true},
		{"bad key", "nokey\t(none)\t(none)\t10.8.0.2/32\t0\t0\t0\toff\n", 0, false},
		{"bad counter", key + "\t(none)\t(none)\t10.8.0.2/32\t0\tx\t0\toff\n", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats, err := parseDump(strings.NewReader(tt.body))
			if (err == nil) != tt.ok || len(stats) != tt.n {
				t.Fatalf("= %v, %v", stats, err)
			}
			if tt.name == "all interfaces" && !stats[0].LastHandshake.Equal(time.Unix(1740830400, 0)) {
				t.Fatalf("handshake %v", stats[0].LastHandshake)
			}
		})
	}
}

func TestFlexID(t *testing.T) {
	tests := []struct {
		raw  string
		want flexID
		ok   bool
	}{
		{`6`, 6, true}, {`"12345"`, 12345, true}, {`null`, 0, true}, {`""`, 0, true},
		{`"abc"`, 0, false}, {`-1`, 0, false}, {`1.5`, 0, false}, {`{}`, 0, false},
	}
	for _, tt := range tests {
		var got struct {
			ID flexID `json:"device_id"`
		}
		err := json.Unmarshal([]byte(`{"device_id":`+tt.raw+`}`), &got)
		if (err == nil) != tt.ok || (tt.ok && got.ID != tt.want) {
			t.Errorf("%s: %v, %v", tt.raw, got.ID, err)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	bad := []Options{{Prefix: "vpn"}, {Prefix: "/vpn/"}, {PublicURL: "ftp://x"}, {AgentSecret: "short"}}
	for _, o := range bad {
		if o.Validate() == nil {
			t.Errorf("%+v passed", o)
		}
	}
	if err := (Options{Prefix: "/vpn", PublicURL: "https://vpn.example.com"}).Validate(); err != nil {
		t.Error(err)
	}
}
