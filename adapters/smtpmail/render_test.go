package smtpmail

import (
	"errors"
	"strings"
	"testing"

	"gatehouse/core/identity"
)

func TestRenderEveryLocaleAndPurpose(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatalf("newRenderer: %v", err)
	}
	subjects := []struct {
		locale  identity.Locale
		purpose identity.Purpose
		subject string
	}{
		{identity.LocaleEN, identity.PurposeEmailConfirm, "Confirm your email address"},
		{identity.LocaleEN, identity.PurposePasswordReset, "Reset your password"},
		{identity.LocaleEN, identity.PurposeEmailLogin, "Sign in to Acme"},
		{identity.LocaleEN, identity.PurposeEmailBind, "Link this email address"},
		{identity.LocaleRU, identity.PurposeEmailConfirm, "Подтверждение адреса электронной почты"},
		{identity.LocaleRU, identity.PurposePasswordReset, "Сброс пароля"},
		{identity.LocaleRU, identity.PurposeEmailLogin, "Вход в Acme"},
		{identity.LocaleRU, identity.PurposeEmailBind, "Привязка адреса электронной почты"},
	}
	secrets := []struct{ code, link string }{
		{code: "123456"},
		{link: "https://id.example.org/x"},
		{code: "123456", link: "https://id.example.org/x"},
	}
	for _, s := range subjects {
		for _, sec := range secrets {
			name := string(s.locale) + "/" + string(s.purpose) + "/code=" + sec.code + "/link=" + sec.link
			t.Run(name, func(t *testing.T) {
				got, err := r.render(s.locale, s.purpose, content{Product: "Acme", Code: sec.code, Link: sec.link})
				if err != nil {
					t.Fatalf("render: %v", err)
				}
				if got.Subject != s.subject || got.Locale != string(s.locale) {
					t.Errorf("subject %q locale %q, want %q %q", got.Subject, got.Locale, s.subject, s.locale)
				}
				for part, body := range map[string]string{"text": got.Text, "html": got.HTML} {
					if strings.Contains(body, "<no value>") || strings.Contains(body, "{{") {
						t.Errorf("%s part has an unfilled placeholder:\n%s", part, body)
					}
					for _, want := range []string{sec.code, sec.link, "Acme"} {
						if !strings.Contains(body, want) {
							t.Errorf("%s part lacks %q:\n%s", part, want, body)
						}
					}
				}
			})
		}
	}
}

func TestRenderRefusesPhoneLogin(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatalf("newRenderer: %v", err)
	}
	if _, err := r.render(identity.LocaleRU, identity.PurposePhoneLogin, content{Code: "1"}); !errors.Is(err, errNoTemplate) {
		t.Fatalf("render phone_login = %v, want errNoTemplate", err)
	}
}
