package felmee

import (
	"net/http"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// recipientRequest is the body of every send.
type recipientRequest struct {
	Recipient string `json:"recipient"`
}

// phoneLoginRequest is the body of POST /api/auth/phone/login.
type phoneLoginRequest struct {
	Phone string `json:"phone"`
	OTP   string `json:"otp"`
}

// codeRequest decodes a send's body into the use case's request.
func codeRequest(r *http.Request) (ports.CodeRequest, error) {
	var req recipientRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		return ports.CodeRequest{}, err
	}
	if err := httpapi.Require(httpapi.Field{Name: "recipient", Value: req.Recipient}); err != nil {
		return ports.CodeRequest{}, err
	}
	return ports.CodeRequest{
		Recipient:    req.Recipient,
		CaptchaToken: strings.TrimSpace(r.Header.Get("captcha-token")),
		IP:           httpapi.ClientIP(r),
		Locale:       localeOf(r),
	}, nil
}

// localeOf is the message language the client prefers: Russian when
// Accept-Language puts it first, else English.
func localeOf(r *http.Request) identity.Locale {
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(first)), "ru") {
		return identity.LocaleRU
	}
	return identity.LocaleEN
}

// sendPhoneCode serves POST /api/auth/phone/send/otp.
func (a *API) sendPhoneCode(w http.ResponseWriter, r *http.Request) {
	req, err := codeRequest(r)
	if err == nil {
		err = a.pw.SendPhoneCode(r.Context(), req)
	}
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	ok(w, msgCodeSent, nil)
}

// phoneLogin serves POST /api/auth/phone/login.
func (a *API) phoneLogin(w http.ResponseWriter, r *http.Request) {
	var req phoneLoginRequest
	if err := httpapi.DecodeJSON(r, &req); err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := httpapi.Require(httpapi.Field{Name: "phone", Value: req.Phone}, httpapi.Field{Name: "otp", Value: req.OTP}); err != nil {
		errs.Write(w, r, err)
		return
	}
	u, err := a.pw.PhoneLogin(r.Context(), req.Phone, strings.TrimSpace(req.OTP), httpapi.ClientIP(r))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.start(w, r, u.ID)
}

// start begins a session for the user on the caller's device and answers
// the pair.
func (a *API) start(w http.ResponseWriter, r *http.Request, userID string) {
	pair, err := a.sessions.Start(r.Context(), userID, a.opts.Audience, httpapi.DeviceOf(r, ""))
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	a.signedIn(w, msgSignedIn, pair)
}
