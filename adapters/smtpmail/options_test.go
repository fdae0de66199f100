package smtpmail_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/adapters/smtpmail"
)

func TestNewValidatesOptions(t *testing.T) {
	valid := smtpmail.Options{Host: "smtp.example.com", From: sender}
	tests := []struct {
		name    string
		mod     func(*smtpmail.Options)
		wantErr string // "" when New must succeed
	}{
		{name: "defaults", mod: func(*smtpmail.Options) {}},
		{name: "implicit tls with auth", mod: func(o *smtpmail.Options) {
			o.TLS, o.Port, o.Username, o.Password = smtpmail.TLSImplicit, 465, "u", "p"
		}},
		{name: "bare sender address", mod: func(o *smtpmail.Options) { o.From = "no-reply@example.com" }},
		{name: "ipv6 host", mod: func(o *smtpmail.Options) { o.Host = "::1" }},
		{name: "plain with auth to loopback", mod: func(o *smtpmail.Options) {
			o.Host, o.TLS, o.Username, o.Password = "127.0.0.1", smtpmail.TLSNone, "u", "p"
		}},
		{name: "no host", mod: func(o *smtpmail.Options) { o.Host = "" }, wantErr: "host"},
		{name: "port in host", mod: func(o *smtpmail.Options) { o.Host = "smtp.example.com:587" }, wantErr: "give the port in port"},
		{name: "url as host", mod: func(o *smtpmail.Options) { o.Host = "smtp://smtp.example.com" }, wantErr: "host"},
		{name: "unknown tls mode", mod: func(o *smtpmail.Options) { o.TLS = "ssl" }, wantErr: "want starttls, tls or none"},
		{name: "port too large", mod: func(o *smtpmail.Options) { o.Port = 70000 }, wantErr: "port 70000"},
		{name: "negative port", mod: func(o *smtpmail.Options) { o.Port = -1 }, wantErr: "port -1"},
		{name: "negative timeout", mod: func(o *smtpmail.Options) { o.Timeout = -time.Second }, wantErr: "timeout"},
		{name: "no sender", mod: func(o *smtpmail.Options) { o.From = "" }, wantErr: "from is required"},
		{name: "bad sender", mod: func(o *smtpmail.Options) { o.From = "gatehouse" }, wantErr: "from \"gatehouse\""},
		{name: "password alone", mod: func(o *smtpmail.Options) { o.Password = "p" }, wantErr: "password without a username"},
		{name: "username alone", mod: func(o *smtpmail.Options) { o.Username = "u" }, wantErr: "username without a password"},
		{name: "password in clear over the network", mod: func(o *smtpmail.Options) {
			o.TLS, o.Username, o.Password = smtpmail.TLSNone, "u", "p"
		}, wantErr: "in clear"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid
			tt.mod(&o)
			m, err := smtpmail.New(o)
			if tt.wantErr == "" {
				if err != nil || m == nil {
					t.Fatalf("New = %v, %v; want a Mailer", m, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want one mentioning %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "smtpmail: ") {
				t.Errorf("New error %q does not name the package", err)
			}
		})
	}
}
