package captcha_test

import (
	"strings"
	"testing"

	"gatehouse/core/captcha"
	"gatehouse/core/fault"
)

func TestJudge(t *testing.T) {
	v3 := captcha.Policy{MinScore: 0.5, RequireScore: true, Action: "phone_otp", RequireAction: true}
	tests := []struct {
		name   string
		policy captcha.Policy
		v      captcha.Verdict
		want   string // reason, "" passes
	}{
		{"pass", captcha.Policy{}, captcha.Verdict{Success: true}, ""},
		{"refused", captcha.Policy{}, captcha.Verdict{ErrorCodes: []string{captcha.CodeInvalidResponse}}, captcha.ReasonInvalid},
		{"duplicate", captcha.Policy{}, captcha.Verdict{ErrorCodes: []string{captcha.CodeDuplicate}}, captcha.ReasonInvalid},
		{"no codes", captcha.Policy{}, captcha.Verdict{}, captcha.ReasonInvalid},
		{"wrong secret is ours", captcha.Policy{}, captcha.Verdict{ErrorCodes: []string{captcha.CodeInvalidSecret}}, captcha.ReasonUnavailable},
		{"vendor failed", captcha.Policy{}, captcha.Verdict{ErrorCodes: []string{captcha.CodeInternal}}, captcha.ReasonUnavailable},
		{"v3 pass", v3, captcha.Verdict{Success: true, Scored: true, Score: 0.9, Action: "phone_otp"}, ""},
		{"v3 at threshold", v3, captcha.Verdict{Success: true, Scored: true, Score: 0.5, Action: "phone_otp"}, ""},
		{"v3 low score", v3, captcha.Verdict{Success: true, Scored: true, Score: 0.3, Action: "phone_otp"}, captcha.ReasonInvalid},
		{"v3 wrong action", v3, captcha.Verdict{Success: true, Scored: true, Score: 0.9, Action: "login"}, captcha.ReasonInvalid},
		{"v3 no action", v3, captcha.Verdict{Success: true, Scored: true, Score: 0.9}, captcha.ReasonInvalid},
		{"v3 no score", v3, captcha.Verdict{Success: true, Action: "phone_otp"}, captcha.ReasonInvalid},
		{"action checked only when reported", captcha.Policy{Action: "x"}, captcha.Verdict{Success: true}, ""},
		{"hostname allowed", captcha.Policy{Hostnames: []string{"a.example"}}, captcha.Verdict{Success: true, Hostname: "a.example"}, ""},
		{"hostname refused", captcha.Policy{Hostnames: []string{"a.example"}}, captcha.Verdict{Success: true, Hostname: "b.example"}, captcha.ReasonInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Judge(tt.v)
			if got := fault.ReasonOf(err); got != tt.want || (tt.want == "") != (err == nil) {
				t.Fatalf("Judge = %v, want reason %q", err, tt.want)
			}
		})
	}
}

func TestCheckToken(t *testing.T) {
	tests := []struct {
		token, want string
	}{
		{"", captcha.ReasonRequired},
		{"  ", captcha.ReasonRequired},
		{strings.Repeat("x", captcha.MaxTokenLen+1), captcha.ReasonInvalid},
		{"XXXX.DUMMY.TOKEN.XXXX", ""},
	}
	for _, tt := range tests {
		if got := fault.ReasonOf(captcha.CheckToken(tt.token)); got != tt.want {
			t.Errorf("CheckToken(%.10q) reason %q, want %q", tt.token, got, tt.want)
		}
	}
}
