package links_test

import (
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/links"
)

func TestAdmit(t *testing.T) {
	now := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		link   links.Link
		served int64
		gone   bool
	}{
		{"no limits", links.Link{}, 1 << 40, false},
		{"expires later", links.Link{ExpiresAt: now.Add(time.Nanosecond)}, 0, false},
		{"expires now", links.Link{ExpiresAt: now}, 0, true},
		{"expired", links.Link{ExpiresAt: now.Add(-time.Hour)}, 0, true},
		{"budget left", links.Link{MaxRedirects: 3}, 2, false},
		{"budget used up", links.Link{MaxRedirects: 3}, 3, true},
		{"over budget", links.Link{MaxRedirects: 3}, 7, true},
		{"budget left but expired", links.Link{MaxRedirects: 3, ExpiresAt: now}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.link.Admit(now, tt.served)
			if !tt.gone {
				if err != nil {
					t.Fatalf("Admit: %v, want nil", err)
				}
				return
			}
			if fault.CodeOf(err) != fault.Gone || fault.ReasonOf(err) != links.ReasonGone {
				t.Fatalf("Admit: %v, want Gone %s", err, links.ReasonGone)
			}
		})
	}
}

func TestValidateLimits(t *testing.T) {
	now := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		expires      time.Time
		max          int64
		field, rules string
	}{
		{"none", time.Time{}, 0, "", ""},
		{"future and budget", now.Add(time.Minute), 10, "", ""},
		{"expiry now", now, 0, "expires_at", "future"},
		{"expiry past", now.Add(-time.Minute), 0, "expires_at", "future"},
		{"negative budget", time.Time{}, -1, "max_redirects", "min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFieldRule(t, links.ValidateLimits(now, tt.expires, tt.max), tt.field, tt.rules)
		})
	}
}

func TestNewID(t *testing.T) {
	id, err := links.NewID(make([]byte, links.IDBytes))
	if err != nil || id != "AAAAAAAAAAAAAAAA" {
		t.Fatalf("NewID = %q, %v", id, err)
	}
	if _, err := links.NewID(make([]byte, links.IDBytes-1)); err == nil {
		t.Fatal("NewID of too few bytes: nil error")
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		err    error
		code   fault.Code
		reason string
	}{
		{links.NotFound(), fault.NotFound, links.ReasonNotFound},
		{links.Gone(), fault.Gone, links.ReasonGone},
		{links.AliasTaken(), fault.Conflict, links.ReasonAliasTaken},
		{links.IDTaken(), fault.Conflict, links.ReasonIDTaken},
		{links.NotOwner(), fault.Forbidden, links.ReasonNotOwner},
	}
	for _, tt := range tests {
		if fault.CodeOf(tt.err) != tt.code || fault.ReasonOf(tt.err) != tt.reason || fault.MessageOf(tt.err) == "Internal error." {
			t.Fatalf("%v: want %s %s with a message", tt.err, tt.code, tt.reason)
		}
	}
}
