package identity_test

import (
	"testing"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"+7 999 123-45-67", "RU", "+79991234567"},
		{"8 (999) 123 45 67", "RU", "+79991234567"},
		{"79991234567", "RU", "+79991234567"},
		{"+79991234567", "", "+79991234567"},
		{"0079991234567", "", "+79991234567"},
		{"  +7\u00a0999\u2011123\u201145\u201167 ", "ru", "+79991234567"},
		{"(415) 555-2671", "US", "+14155552671"},
		{"+44 20 7946 0958", "RU", "+442079460958"},
		{"8 (999) 123 45 67", "", ""},
		{"", "RU", ""},
		{"+7 999 123", "RU", ""},
		{"+7 999 CALL-ME", "RU", ""},
		{"+7 999 123 45 67\u202e", "RU", ""},
		{"+0 000 000 00 00", "RU", ""},
		{"+7999123456712345678901234567890123456789012345678901234567890123", "RU", ""},
	}
	for _, tt := range tests {
		got, err := identity.NormalizePhone("recipient", tt.raw, tt.region)
		if tt.want == "" {
			if fe, ok := fault.As(err); !ok || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "recipient" {
				t.Errorf("NormalizePhone(%q, %q) = %q, %v; want Invalid on recipient", tt.raw, tt.region, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tt.raw, tt.region, got, err, tt.want)
		}
	}
}

func TestValidPhoneRegion(t *testing.T) {
	for region, want := range map[string]bool{"": true, "RU": true, "us": true, "XX": false, "ZZ": false} {
		if got := identity.ValidPhoneRegion(region); got != want {
			t.Errorf("ValidPhoneRegion(%q) = %v, want %v", region, got, want)
		}
	}
}
