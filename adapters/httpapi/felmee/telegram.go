package felmee

import (
	"bytes"
	"encoding/json"
	"net/http"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/fault"
)

// maxWidgetFields bounds the fields of Login Widget data; it sends seven.
const maxWidgetFields = 16

// telegramLogin serves POST /api/auth/telegram/login: the Login Widget's
// user object, as its data-onauth callback gets it, signed by Telegram.
// The answer is the phone login's: {JWT, RT} in the envelope and as
// cookies.
func (a *API) telegramLogin(w http.ResponseWriter, r *http.Request) {
	var raw map[string]json.RawMessage
	if err := httpapi.DecodeJSON(r, &raw); err != nil {
		errs.Write(w, r, err)
		return
	}
	fields, err := widgetFields(raw)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.opts.Telegram.SignInWidget(r.Context(), fields)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.start(w, r, u.ID)
}

// widgetFields turns the widget's JSON object into the fields Telegram
// signed: strings as they are, numbers (id, auth_date) in their decimal
// spelling as sent.
func widgetFields(raw map[string]json.RawMessage) (map[string]string, error) {
	if len(raw) > maxWidgetFields {
		return nil, fault.Invalidf("hash", "format", "Telegram login data have too many fields.")
	}
	fields := make(map[string]string, len(raw))
	for k, v := range raw {
		v = bytes.TrimSpace(v)
		var s string
		switch {
		case len(v) > 0 && v[0] == '"':
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, fault.Invalidf(k, "type", "%s must be a string or a number", k)
			}
		case json.Valid(v) && len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')):
			s = string(v)
		default:
			return nil, fault.Invalidf(k, "type", "%s must be a string or a number", k)
		}
		fields[k] = s
	}
	if fields["hash"] == "" {
		return nil, fault.Invalidf("hash", "required", "hash is required")
	}
	return fields, nil
}

// webAppRequest is the body of POST /api/auth/telegram/webapp.
type webAppRequest struct {
	InitData string `json:"initData"`
}

// telegramWebApp serves POST /api/auth/telegram/webapp: a Mini App's
// Telegram.WebApp.initData, as the app got it. The answer is the phone
// login's.
func (a *API) telegramWebApp(w http.ResponseWriter, r *http.Request) {
	var req webAppRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "initData", Value: req.InitData}); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.opts.Telegram.SignInWebApp(r.Context(), req.InitData)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.start(w, r, u.ID)
}
