package identity_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

func TestValidateBirthday(t *testing.T) {
	today := time.Date(2025, 3, 1, 23, 59, 0, 0, time.UTC)
	tests := []struct{ in, rule string }{
		{"", ""},
		{"2000-02-29", ""},
		{"2025-03-01", ""},
		{"2025-03-02", "past"},
		{"1999-02-29", "format"},
		{"2000-13-01", "format"},
		{"2000-1-01", "format"},
		{"01.02.2000", "format"},
		{"2000-01-01T00:00:00Z", "format"},
	}
	for _, tt := range tests {
		wantField(t, identity.ValidateBirthday(tt.in, today), "birthday", tt.rule)
	}
}

func TestValidateColor(t *testing.T) {
	tests := []struct{ in, rule string }{
		{"", ""}, {"#000000", ""}, {"#aBcDeF", ""},
		{"#abc", "format"}, {"000000", "format"}, {"#00000g", "format"}, {"#0000000", "format"}, {"red", "format"},
	}
	for _, tt := range tests {
		wantField(t, identity.ValidateColor(tt.in), "background_color", tt.rule)
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct{ in, rule string }{
		{"", ""}, {"Анна-Мария", ""}, {strings.Repeat("я", 256), ""},
		{strings.Repeat("я", 257), "max_length"}, {"a\nb", "format"}, {"\xff", "format"},
	}
	for _, tt := range tests {
		wantField(t, identity.ValidateName("first_name", tt.in), "first_name", tt.rule)
	}
}

func TestApplyProfile(t *testing.T) {
	today := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	u := identity.User{FirstName: "Old", Locale: identity.LocaleEN}
	s := func(v string) *string { return &v }
	ru := identity.Locale(" Ru ")
	got, err := identity.ApplyProfile(u, identity.ProfileChange{
		LastName: s(" Петров "), Description: s(strings.Repeat("д", 1000)), Avatar: s("http://x.example/a.png"), Locale: &ru,
	}, today)
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "Old" || got.LastName != "Петров" || got.Locale != identity.LocaleRU || got.Avatar != "http://x.example/a.png" {
		t.Fatalf("ApplyProfile = %+v", got)
	}
	tests := []struct {
		name   string
		ch     identity.ProfileChange
		fields []string
	}{
		{"long description", identity.ProfileChange{Description: s(strings.Repeat("д", 1001))}, []string{"description/max_length"}},
		{"avatar with credentials", identity.ProfileChange{Avatar: s("https://u:p@x.example/")}, []string{"avatar/format"}},
		{"relative avatar", identity.ProfileChange{Avatar: s("/a.png")}, []string{"avatar/format"}},
		{"long avatar", identity.ProfileChange{Avatar: s("https://x.example/" + strings.Repeat("a", 2048))}, []string{"avatar/max_length"}},
		{"two fields", identity.ProfileChange{Birthday: s("tomorrow"), LastName: s(strings.Repeat("z", 257))},
			[]string{"last_name/max_length", "birthday/format"}},
	}
	for _, tt := range tests {
		_, err := identity.ApplyProfile(u, tt.ch, today)
		fe, ok := fault.As(err)
		if !ok || fe.Code != fault.Invalid {
			t.Fatalf("%s: %v, want fault.Invalid", tt.name, err)
		}
		var fields []string
		for _, f := range fe.Fields {
			fields = append(fields, f.Field+"/"+f.Rule)
		}
		if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
			t.Fatalf("%s: fields %v, want %v", tt.name, fields, tt.fields)
		}
	}
}

func TestAddAddress(t *testing.T) {
	u := identity.User{Addresses: []identity.Address{{ID: "1", Name: "main", Address: "bc1qxyz"}}}
	got, err := identity.AddAddress(u, identity.Address{ID: "2", Name: " cold ", Address: " BC1QXYZ "})
	if err != nil || len(got.Addresses) != 2 || got.Addresses[1] != (identity.Address{ID: "2", Name: "cold", Address: "BC1QXYZ"}) || len(u.Addresses) != 1 {
		t.Fatalf("AddAddress = %+v, %v (case differs: a distinct address; input untouched)", got.Addresses, err)
	}
	_, err = identity.AddAddress(u, identity.Address{ID: "3", Name: "dup", Address: "bc1qxyz"})
	if fault.ReasonOf(err) != "identity.address_exists" || fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("duplicate: %v", err)
	}
	_, err = identity.AddAddress(identity.User{}, identity.Address{})
	if fe, ok := fault.As(err); !ok || len(fe.Fields) != 2 {
		t.Fatalf("empty address and name: %v, want two field errors", err)
	}
	full := identity.User{}
	for i := range identity.MaxAddresses {
		full.Addresses = append(full.Addresses, identity.Address{Address: strings.Repeat("a", i+1)})
	}
	_, err = identity.AddAddress(full, identity.Address{Name: "n", Address: "b"})
	if fault.ReasonOf(err) != "identity.address_limit" {
		t.Fatalf("over the limit: %v", err)
	}
}
