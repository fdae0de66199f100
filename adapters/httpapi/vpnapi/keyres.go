package vpnapi

import (
	"net/http"
	"net/url"
	"strings"

	"gatehouse/core/vpn"
)

// keyResource is the access key of POST /api/key. Key is what a client
// imports: for Outline the dynamic key (ssconf://, refetched on every
// connect, so an ended subscription stops it), for WireGuard the wg-quick
// config, for a static server its URL or config.
type keyResource struct {
	ID         string  `json:"id"`
	ServerID   int64   `json:"server_id"`
	DeviceID   int64   `json:"device_id"`
	Protocol   string  `json:"protocol"`
	Key        string  `json:"key"`
	AccessURL  *string `json:"access_url"`  // Outline's static ss:// URL
	DynamicURL *string `json:"dynamic_url"` // Outline's ssconf:// URL served here
	Config     *string `json:"config"`      // the wg-quick file
	IssuedAt   string  `json:"issued_at"`
}

// newKeyResource shows k; dynamic is its ssconf:// URL ("" for none).
func newKeyResource(k vpn.AccessKey, dynamic string) keyResource {
	r := keyResource{ID: k.ID, ServerID: k.ServerID, DeviceID: k.DeviceID, Protocol: string(k.Protocol),
		IssuedAt: iso(k.IssuedAt)}
	m := k.Material
	if m.AccessURL != "" {
		r.AccessURL = &m.AccessURL
	}
	if m.Config != "" {
		r.Config = &m.Config
	}
	if dynamic != "" {
		r.DynamicURL = &dynamic
	}
	switch {
	case dynamic != "":
		r.Key = dynamic
	case m.Config != "":
		r.Key = m.Config
	default:
		r.Key = m.AccessURL
	}
	return r
}

// dynamicURL is the ssconf:// URL of an Outline key's dynamic access
// token, named by fragment (the name the Outline client shows); "" for keys
// that have none. The client fetches it over https, so ssconf:// names the
// host and path of the https URL.
func (a *API) dynamicURL(r *http.Request, k vpn.AccessKey, name string) string {
	if k.Protocol != vpn.Outline || k.Material.DynamicToken == "" {
		return ""
	}
	base := a.baseURL(r)
	u := "ssconf://" + strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://") +
		a.opts.Prefix + "/api/vpn/dynamic/" + url.PathEscape(k.Material.DynamicToken)
	if name != "" {
		u += "#" + url.PathEscape(name)
	}
	return u
}

// baseURL is PublicURL, or else the scheme and Host of the request.
func (a *API) baseURL(r *http.Request) string {
	if a.opts.PublicURL != "" {
		return a.opts.PublicURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// serverName is what client apps show for a server's key.
func serverName(s vpn.Server) string {
	switch {
	case s.City != "" && s.Country != "":
		return s.Country + ", " + s.City
	case s.City != "":
		return s.City
	}
	return s.Country
}
