package app

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestEmailedLinksFollowTheMountedRoute: with contract 003 under a prefix,
// the confirmation link mailed at a registration through contract 004
// carries the prefix and confirms the email; with contract 003 switched
// off nothing serves such a link, so none is mailed.
func TestEmailedLinksFollowTheMountedRoute(t *testing.T) {
	if testing.Short() {
		t.Skip("boots the service twice")
	}
	reg := `{"login":"pref_user","password":"Xq7vLm2pZ","email":"pref@example.com","first_name":"Данила","last_name":"Гинда"}`

	logs := &logRecords{}
	svc := startServiceLogging(t, slog.New(slog.NewJSONHandler(logs, nil)),
		"GATEHOUSE_DATA_DIR="+t.TempDir(), "GATEHOUSE_DEV=true", "GATEHOUSE_FRONTENDS_AUTHV1_PREFIX=/id")
	if code := svc.call(t, "POST", "/account/registration", reg, nil, nil); code != 200 {
		t.Fatalf("004 registration: %d", code)
	}
	path := linkPath(t, logs.link(t, "pref@example.com", "email_confirm"))
	if !strings.HasPrefix(path, "/id/v1/user/confirm/") {
		t.Fatalf("mailed link path %q, want it under the prefix /id", path)
	}
	var confirmed struct {
		Purpose string `json:"purpose"`
	}
	if code := svc.call(t, "GET", path, "", nil, &confirmed); code != 200 || confirmed.Purpose != "email_confirm" {
		t.Fatalf("following the mailed link: %d %+v", code, confirmed)
	}

	logs = &logRecords{}
	off := startServiceLogging(t, slog.New(slog.NewJSONHandler(logs, nil)),
		"GATEHOUSE_DATA_DIR="+t.TempDir(), "GATEHOUSE_DEV=true", "GATEHOUSE_FRONTENDS_AUTHV1_ENABLED=false")
	if code := off.call(t, "POST", "/account/registration", reg, nil, nil); code != 200 {
		t.Fatalf("004 registration with 003 off: %d", code)
	}
	time.Sleep(300 * time.Millisecond) // the courier would have mailed by now
	if link := logs.last("notification", map[string]string{"recipient": "pref@example.com", "purpose": "email_confirm"}, "link"); link != "" {
		t.Fatalf("with contract 003 off a link nothing serves was mailed: %s", link)
	}
}
