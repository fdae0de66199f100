package vpnapi

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"gatehouse/adapters/httpapi"
	"gatehouse/core/vpn"
)

// feedUpdateHours is how often client apps are told to refetch the
// subscription (the profile-update-interval header, in hours).
const feedUpdateHours = "12"

// linkResource is the subscription link, shown once when it is issued.
type linkResource struct {
	URL string `json:"url"`
}

// issueLink makes the user's subscription link, replacing any previous
// one. Only its hash is kept, so this answer is the one chance to see it.
func (a *API) issueLink(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	token, err := a.vpn.IssueLink(r.Context(), claims.Subject)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store, private")
	writeData(w, http.StatusCreated, linkResource{URL: a.baseURL(r) + a.opts.Prefix + "/api/vpn/sub/" + url.PathEscape(token)})
}

// revokeLink ends the user's subscription link.
func (a *API) revokeLink(w http.ResponseWriter, r *http.Request) {
	claims, err := a.authenticate(r)
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	if err := a.vpn.RevokeLink(r.Context(), claims.Subject); err != nil {
		errs.Write(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// feed answers a subscription link as Marzban and Remnawave do for
// v2ray-type clients: the base64 of one key URI a line, with the
// subscription-userinfo header. Outline keys come as their static ss:// URL
// and their dynamic ssconf:// URL, WireGuard keys as wireguard:// URIs
// (v2rayN, Hiddify, NekoBox, sing-box), static keys as configured.
// An ended subscription is the contract's 403.
func (a *API) feed(w http.ResponseWriter, r *http.Request) {
	f, err := a.vpn.SubscriptionFeed(r.Context(), httpapi.Vars(r)["token"])
	if err != nil {
		errs.Write(w, r, err)
		return
	}
	var lines []string
	for _, fk := range f.Keys {
		lines = append(lines, a.feedLines(r, fk)...)
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store, private")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Subscription-Userinfo", userinfoHeader(f.Userinfo))
	h.Set("Profile-Update-Interval", feedUpdateHours)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(base64.StdEncoding.EncodeToString([]byte(strings.Join(lines, "\n")))))
}

// userinfoHeader is the subscription-userinfo value: bytes up and down,
// the budget (0: unlimited) and the expiry in Unix seconds (0: none).
func userinfoHeader(u vpn.Userinfo) string {
	var expire int64
	if !u.Expire.IsZero() {
		expire = u.Expire.Unix()
	}
	return fmt.Sprintf("upload=%d; download=%d; total=%d; expire=%d", u.Upload, u.Download, u.Total, expire)
}

// feedLines are the key URIs of one key, each named by its server.
func (a *API) feedLines(r *http.Request, fk vpn.FeedKey) []string {
	k, name := fk.Key, serverName(fk.Server)
	frag := "#" + url.PathEscape(name)
	switch k.Protocol {
	case vpn.Outline:
		var out []string
		if k.Material.AccessURL != "" {
			out = append(out, k.Material.AccessURL+frag)
		}
		if d := a.dynamicURL(r, k, name); d != "" {
			out = append(out, d)
		}
		return out
	case vpn.WireGuard:
		return []string{wireguardURI(fk.Server, k.Material) + frag}
	default:
		if k.Material.AccessURL != "" {
			return []string{k.Material.AccessURL}
		}
		return nil
	}
}

// wireguardURI is a WireGuard key as one line, in the form v2rayN, Hiddify
// and sing-box import: wireguard://<private key>@<endpoint>?publickey=...
func wireguardURI(s vpn.Server, m vpn.Material) string {
	q := url.Values{}
	q.Set("publickey", s.WireGuard.PublicKey)
	if m.PresharedKey != "" {
		q.Set("presharedkey", m.PresharedKey)
	}
	q.Set("address", strings.Join(m.Addresses, ","))
	if s.WireGuard.MTU > 0 {
		q.Set("mtu", fmt.Sprint(s.WireGuard.MTU))
	}
	return "wireguard://" + url.PathEscape(m.PrivateKey) + "@" + s.Endpoint + "?" + q.Encode()
}
