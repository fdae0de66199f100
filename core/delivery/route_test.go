package delivery_test

import (
	"errors"
	"reflect"
	"testing"

	"gatehouse/core/delivery"
	"gatehouse/core/fault"
)

func TestRoutesFor(t *testing.T) {
	r := delivery.Routes{
		Default:  []string{"tggateway", "smshook"},
		ByPrefix: map[string][]string{"+7": {"telegram", "tggateway"}, "+79": {"smshook"}, "+1": {"smshook"}},
	}
	tests := []struct {
		recipient string
		want      []string
	}{
		{"+4915112345678", []string{"tggateway", "smshook"}},
		{"+77011234567", []string{"telegram", "tggateway"}},
		{"+79991234567", []string{"smshook"}},
		{"+12025550123", []string{"smshook"}},
	}
	for _, tt := range tests {
		if got := r.For(tt.recipient); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("For(%s) = %v, want %v", tt.recipient, got, tt.want)
		}
	}
}

func TestCheckRecipient(t *testing.T) {
	tests := []struct {
		phone string
		ok    bool
	}{
		{"+79991234567", true},
		{"+12025550123", true},
		{"79991234567", false},
		{"+0999123456", false},
		{"+7999", false},
		{"+7999123456789012", false},
		{"+7 999 123-45-67", false},
		{"", false},
	}
	for _, tt := range tests {
		err := delivery.CheckRecipient(tt.phone)
		if (err == nil) != tt.ok || (err != nil && fault.ReasonOf(err) != delivery.ReasonBadRecipient) {
			t.Errorf("CheckRecipient(%q) = %v", tt.phone, err)
		}
	}
}

func TestHandsOn(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{delivery.Unreachable("tggateway", nil), true},
		{delivery.Unavailable("smshook", errors.New("503"), 0), true},
		{fault.New(fault.RateLimited, "x", ""), true},
		{delivery.BadRecipient(nil), false},
		{errors.New("bug"), false},
	}
	for _, tt := range tests {
		if got := delivery.HandsOn(tt.err); got != tt.want {
			t.Errorf("HandsOn(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
	if got := fault.ReasonOf(delivery.Unavailable("smshook", nil, 0)); got != "delivery.smshook.unavailable" {
		t.Errorf("reason %q", got)
	}
}
