package identity_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"testing"
	"time"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
)

const botToken = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"

var signedAt = time.Unix(1_700_000_000, 0)

// widgetData signs fields as the Login Widget does.
func widgetData(fields map[string]string, token string) map[string]string {
	secret := sha256.Sum256([]byte(token))
	m := hmac.New(sha256.New, secret[:])
	m.Write([]byte(identity.TelegramDataCheckString(fields)))
	out := map[string]string{"hash": hex.EncodeToString(m.Sum(nil))}
	for k, v := range fields {
		out[k] = v
	}
	return out
}

func TestVerifyTelegramWidget(t *testing.T) {
	base := map[string]string{
		"id": "42", "first_name": "Ада", "username": "ada", "auth_date": strconv.FormatInt(signedAt.Unix(), 10),
	}
	good := widgetData(base, botToken)
	tampered := widgetData(base, botToken)
	tampered["id"] = "43"
	extra := widgetData(base, botToken)
	extra["photo_url"] = "https://t.me/i/userpic/x.jpg"
	tests := []struct {
		name   string
		fields map[string]string
		token  string
		now    time.Time
		reason string
	}{
		{"valid", good, botToken, signedAt.Add(time.Minute), ""},
		{"another bot's token", good, "654321:other", signedAt, identity.ReasonTelegramAuthInvalid},
		{"a field changed", tampered, botToken, signedAt, identity.ReasonTelegramAuthInvalid},
		{"a field added", extra, botToken, signedAt, identity.ReasonTelegramAuthInvalid},
		{"no hash", base, botToken, signedAt, identity.ReasonTelegramAuthInvalid},
		{"too old", good, botToken, signedAt.Add(6 * time.Minute), identity.ReasonTelegramAuthExpired},
		{"from the future", good, botToken, signedAt.Add(-2 * time.Minute), identity.ReasonTelegramAuthInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := identity.VerifyTelegramWidget(tt.fields, tt.token, tt.now, 5*time.Minute)
			if got := fault.ReasonOf(err); got != tt.reason {
				t.Fatalf("reason %q (%v), want %q", got, err, tt.reason)
			}
			if err == nil && (p.ID != 42 || p.Username != "ada" || !p.AuthDate.Equal(signedAt)) {
				t.Fatalf("profile %+v", p)
			}
		})
	}
}

// webAppData signs fields as Telegram signs a Mini App's initData and
// encodes them.
func webAppData(fields map[string]string, token string) string {
	k := hmac.New(sha256.New, []byte("WebAppData"))
	k.Write([]byte(token))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(identity.TelegramDataCheckString(fields)))
	v := url.Values{"hash": {hex.EncodeToString(m.Sum(nil))}}
	for key, val := range fields {
		v.Set(key, val)
	}
	return v.Encode()
}

func TestVerifyTelegramWebApp(t *testing.T) {
	fields := map[string]string{
		"query_id":  "AAHdF6IQAAAAAN0XohDhrOrc",
		"user":      `{"id":279058397,"first_name":"Vladislav","username":"vdkfrost","language_code":"ru"}`,
		"auth_date": strconv.FormatInt(signedAt.Unix(), 10),
		"signature": "T8aGLlGIWqc7wWiLgMv5eGgqBgs68CM9TlzgpvFjLoNR4RBOKXjlozKDYKdyitVsUx9W1VugcLyJHkE088HDAA",
	}
	good := webAppData(fields, botToken)
	noUser := map[string]string{"auth_date": fields["auth_date"]}
	tests := []struct {
		name     string
		initData string
		now      time.Time
		reason   string
	}{
		{"valid", good, signedAt, ""},
		{"signed by the widget's key", func() string {
			v := url.Values{}
			for k, val := range widgetData(fields, botToken) {
				v.Set(k, val)
			}
			return v.Encode()
		}(), signedAt, identity.ReasonTelegramAuthInvalid},
		{"another token", webAppData(fields, "654321:other"), signedAt, identity.ReasonTelegramAuthInvalid},
		{"a repeated field", good + "&user=x", signedAt, identity.ReasonTelegramAuthInvalid},
		{"no user", webAppData(noUser, botToken), signedAt, identity.ReasonTelegramAuthInvalid},
		{"too old", good, signedAt.Add(time.Hour), identity.ReasonTelegramAuthExpired},
		{"not a query", "%zz", signedAt, identity.ReasonTelegramAuthInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := identity.VerifyTelegramWebApp(tt.initData, botToken, tt.now, 5*time.Minute)
			if got := fault.ReasonOf(err); got != tt.reason {
				t.Fatalf("reason %q (%v), want %q", got, err, tt.reason)
			}
			if err == nil && (p.ID != 279058397 || p.Locale() != identity.LocaleRU) {
				t.Fatalf("profile %+v", p)
			}
		})
	}
}

func TestCheckOwnContact(t *testing.T) {
	tests := []struct {
		sender, contact int64
		ok              bool
	}{
		{42, 42, true},
		{42, 43, false}, // someone else's contact, forwarded
		{42, 0, false},  // a contact typed in, with no Telegram user
		{0, 0, false},
	}
	for _, tt := range tests {
		if err := identity.CheckOwnContact(tt.sender, tt.contact); (err == nil) != tt.ok {
			t.Errorf("CheckOwnContact(%d, %d) = %v", tt.sender, tt.contact, err)
		}
	}
}

func TestTelegramContactPhone(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"79991234567", "+79991234567"},
		{"+79991234567", "+79991234567"},
		{"14155552671", "+14155552671"},
		{"", ""},
		{"12", ""},
	}
	for _, tt := range tests {
		got, err := identity.TelegramContactPhone(tt.raw)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("TelegramContactPhone(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

func TestLocaleOfTag(t *testing.T) {
	for tag, want := range map[string]identity.Locale{"ru": identity.LocaleRU, "ru-RU": identity.LocaleRU, "en": identity.LocaleEN, "": identity.LocaleEN, "rue": identity.LocaleEN} {
		if got := identity.LocaleOfTag(tag); got != want {
			t.Errorf("LocaleOfTag(%q) = %q, want %q", tag, got, want)
		}
	}
}
