package account_test

import (
	"gatehouse/adapters/httpapi/httpapitest"
	"net/http"
	"strings"
	"testing"

	"gatehouse/adapters/httpapi/account"
)

func TestMe(t *testing.T) {
	e := newEnv(t, account.Options{})
	reg := signUp(t, e)

	for name, header := range map[string]http.Header{
		"bare token":        auth(reg.Token),
		"Bearer token":      auth("Bearer " + reg.Token),
		"lower-case bearer": auth("bearer " + reg.Token),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/account/me", nil, header)
			var p profile
			r.JSON(t, &p)
			if r.Status != http.StatusOK || p.ID != reg.ID || p.Login != reg.Login || p.Token != reg.Token ||
				p.FirstName != "Данила" || p.CreatedAt != "2024-03-07 23:32:53.818302" || p.Permissions == nil {
				t.Fatalf("me = %d %s", r.Status, r.Body)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", cc)
			}
		})
	}

	for name, header := range map[string]http.Header{
		"no header":      nil,
		"empty header":   auth(""),
		"empty bearer":   auth("Bearer "),
		"unknown token":  auth("q5Vx0yJz0Yk3m8f2c7hT9nW1sQe4uRb6aLd0pGiKoM8"),
		"garbage":        auth("not a token at all"),
		"altered token":  auth(reg.Token[:len(reg.Token)-1] + flip(reg.Token[len(reg.Token)-1])),
		"token in basic": auth("Basic " + reg.Token),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.call(t, http.MethodGet, "/account/me", nil, header)
			if r.Status != http.StatusForbidden {
				t.Fatalf("= %d %s, want 403", r.Status, r.Body)
			}
			messageOf(t, r)
		})
	}
}

// flip returns another base64url character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

func TestEditInfo(t *testing.T) {
	e := newEnv(t, account.Options{})
	reg := signUp(t, e)
	ex := e.Example(t, http.MethodPost, "/account/edit/info")

	r := e.call(t, http.MethodPost, "/account/edit/info", ex, auth(reg.Token))
	var info map[string]string
	r.JSON(t, &info)
	if r.Status != http.StatusOK || len(info) != 6 {
		t.Fatalf("edit the example = %d %s", r.Status, r.Body)
	}
	for k, v := range ex {
		if info[k] != v {
			t.Errorf("%s = %q, want %q", k, info[k], v)
		}
	}
	var p profile
	e.call(t, http.MethodGet, "/account/me", nil, auth("Bearer "+reg.Token)).JSON(t, &p)
	if p.BackgroundColor != "#e209e5" || p.Birthday != "2005-04-07" || p.Patronymic != "" ||
		p.Description != "Backend Developer from Voskresensk" || p.FirstName != "Данила" || p.LastName != "Гинда" {
		t.Fatalf("me after the edit = %+v", p)
	}

	// A field left out stays as it is.
	r = e.call(t, http.MethodPost, "/account/edit/info", map[string]any{"description": "Гоферы", "patronymic": "Сергеевич"}, auth(reg.Token))
	r.JSON(t, &info)
	if r.Status != http.StatusOK || info["description"] != "Гоферы" || info["patronymic"] != "Сергеевич" ||
		info["birthday"] != "2005-04-07" || info["first_name"] != "Данила" {
		t.Fatalf("partial edit = %d %s", r.Status, r.Body)
	}
	// "" clears the optional fields.
	r = e.call(t, http.MethodPost, "/account/edit/info", map[string]any{"birthday": "", "background_color": "", "patronymic": ""}, auth(reg.Token))
	r.JSON(t, &info)
	if r.Status != http.StatusOK || info["birthday"] != "" || info["background_color"] != "" || info["patronymic"] != "" {
		t.Fatalf("clearing edit = %d %s", r.Status, r.Body)
	}

	tests := []struct {
		name   string
		body   any
		prefix string
	}{
		{"first name latin", httpapitest.With(ex, "first_name", "Danila"), "first_name: must match [А-Я][а-я ]{1,255}"},
		{"first name empty", httpapitest.With(ex, "first_name", ""), "first_name: is required"},
		{"last name lower", httpapitest.With(ex, "last_name", "гинда"), "last_name: must match"},
		{"patronymic latin", httpapitest.With(ex, "patronymic", "Andreevich"), "patronymic: must match"},
		{"birthday format", httpapitest.With(ex, "birthday", "07.04.2005"), "birthday: must be a date YYYY-MM-DD or be empty"},
		{"birthday not a date", httpapitest.With(ex, "birthday", "2005-02-30"), "birthday: "},
		{"colour without #", httpapitest.With(ex, "background_color", "e209e5"), "background_color: must be a colour #RRGGBB or be empty"},
		{"colour short", httpapitest.With(ex, "background_color", "#e209e"), "background_color: "},
		{"description a number", httpapitest.With(ex, "description", 7), "description: "},
		{"two fields", httpapitest.With(ex, "birthday", "x", "background_color", "y"), "birthday: must be a date YYYY-MM-DD or be empty; background_color: "},
		{"not JSON", "first_name=Данила", "Request body is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.call(t, http.MethodPost, "/account/edit/info", tt.body, auth(reg.Token))
			if r.Status != http.StatusBadRequest || !strings.HasPrefix(messageOf(t, r), tt.prefix) {
				t.Fatalf("= %d %s, want 400 %q", r.Status, r.Body, tt.prefix)
			}
		})
	}

	for name, header := range map[string]http.Header{"no token": nil, "invalid token": auth("Bearer nope")} {
		r := e.call(t, http.MethodPost, "/account/edit/info", ex, header)
		if r.Status != http.StatusForbidden {
			t.Errorf("%s = %d %s, want 403", name, r.Status, r.Body)
		}
	}
}
