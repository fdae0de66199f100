package outline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gatehouse/core/vpn"
)

// accessKey is the API's AccessKey.
type accessKey struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Password  string `json:"password"`
	Port      int    `json:"port"`
	Method    string `json:"method"`
	AccessURL string `json:"accessUrl"`
}

type dataLimit struct {
	Bytes int64 `json:"bytes"`
}

// createBody is what PUT /access-keys/{id} takes; Limit is left out when unset.
type createBody struct {
	Name  string     `json:"name,omitempty"`
	Limit *dataLimit `json:"limit,omitempty"`
}

// call sends one request to the management API of s and returns the
// status and body. A server that cannot be reached, or whose certificate
// is not the pinned one, is fault.Unavailable vpn.provisioner_unavailable.
func (p *Provisioner) call(ctx context.Context, s vpn.Server, method, path string, body any) (int, []byte, error) {
	c, err := p.client(s.Outline.CertSHA256)
	if err != nil {
		return 0, nil, err
	}
	base, err := url.Parse(strings.TrimSuffix(s.Outline.APIURL, "/"))
	if err != nil {
		return 0, nil, vpn.ProvisionerDown(fmt.Errorf("outline: api url of server %d: %w", s.ID, err))
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base.String()+path, rd)
	if err != nil {
		return 0, nil, vpn.ProvisionerDown(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, vpn.ProvisionerDown(fmt.Errorf("outline: %s %s on server %d: %w", method, path, s.ID, err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, vpn.ProvisionerDown(fmt.Errorf("outline: %s %s on server %d: %w", method, path, s.ID, err))
	}
	return resp.StatusCode, b, nil
}

// refused is the fault for an answer the API should not have given.
func refused(s vpn.Server, method, path string, status int, body []byte) error {
	return vpn.ProvisionerDown(fmt.Errorf("outline: %s %s on server %d: status %d: %.200s", method, path, s.ID, status, body))
}

func keyPath(id string) string { return "/access-keys/" + url.PathEscape(id) }

// Create implements ports.Provisioner: PUT /access-keys/{k.ID} with the
// key's name and data limit. When the API does not confirm the key, the
// key is deleted again (a no-op when it was never made), so nothing
// half-made stays.
func (p *Provisioner) Create(ctx context.Context, s vpn.Server, k vpn.AccessKey, limitBytes int64) (vpn.Material, error) {
	body := createBody{Name: k.Name}
	if limitBytes > 0 {
		body.Limit = &dataLimit{Bytes: limitBytes}
	}
	path := keyPath(k.ID)
	status, raw, err := p.call(ctx, s, http.MethodPut, path, body)
	var key accessKey
	if err == nil && status != http.StatusCreated {
		err = refused(s, http.MethodPut, path, status, raw)
	}
	if err == nil {
		if jerr := json.Unmarshal(raw, &key); jerr != nil || key.ID == "" || key.Password == "" || key.Port == 0 {
			err = refused(s, http.MethodPut, path, status, raw)
		}
	}
	if err != nil {
		if status != http.StatusConflict { // 409: the ID is another's, not ours to delete
			p.forget(ctx, s, k.ID)
		}
		return vpn.Material{}, err
	}
	host := s.Host()
	if host == "" {
		host = hostOf(key.AccessURL)
	}
	return vpn.Material{
		RemoteID:     key.ID,
		AccessURL:    AccessURL(host, key.Port, key.Method, key.Password),
		DynamicToken: k.Material.DynamicToken,
	}, nil
}

// forget deletes a key a failed Create may have left, even when the
// request was cancelled. A failure is left to the key's next Revoke.
func (p *Provisioner) forget(ctx context.Context, s vpn.Server, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.timeout)
	defer cancel()
	_, _, _ = p.call(ctx, s, http.MethodDelete, keyPath(id), nil)
}

// hostOf is the host of an ss:// URL the API gave, for servers added
// without a public endpoint.
func hostOf(accessURL string) string {
	u, err := url.Parse(accessURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// remoteID is the API's id of k: its RemoteID, or gatehouse's key ID for a
// claim whose Create did not report back.
func remoteID(k vpn.AccessKey) string {
	if k.Material.RemoteID != "" {
		return k.Material.RemoteID
	}
	return k.ID
}

// Revoke implements ports.Provisioner: DELETE /access-keys/{id}; a key the
// server does not have (404) is already gone.
func (p *Provisioner) Revoke(ctx context.Context, s vpn.Server, k vpn.AccessKey) error {
	path := keyPath(remoteID(k))
	status, raw, err := p.call(ctx, s, http.MethodDelete, path, nil)
	switch {
	case err != nil:
		return err
	case status == http.StatusNoContent || status == http.StatusNotFound:
		return nil
	}
	return refused(s, http.MethodDelete, path, status, raw)
}

// Rename implements ports.Provisioner: PUT /access-keys/{id}/name.
func (p *Provisioner) Rename(ctx context.Context, s vpn.Server, k vpn.AccessKey, name string) error {
	path := keyPath(remoteID(k)) + "/name"
	status, raw, err := p.call(ctx, s, http.MethodPut, path, map[string]string{"name": name})
	switch {
	case err != nil:
		return err
	case status == http.StatusNoContent:
		return nil
	case status == http.StatusNotFound:
		return vpn.KeyNotFound()
	}
	return refused(s, http.MethodPut, path, status, raw)
}

// experimentalMetrics is the part of GET /experimental/server/metrics read here.
type experimentalMetrics struct {
	AccessKeys []struct {
		DataTransferred struct {
			Bytes int64 `json:"bytes"`
		} `json:"dataTransferred"`
		Connection struct {
			LastTrafficSeen int64 `json:"lastTrafficSeen"` // Unix seconds
		} `json:"connection"`
	} `json:"accessKeys"`
}

// Metrics implements ports.Provisioner: each key's transfer from GET
// /metrics/transfer (a 30-day window), and as active connections the keys
// with traffic in the last five minutes from GET
// /experimental/server/metrics (0 on servers without that endpoint).
func (p *Provisioner) Metrics(ctx context.Context, s vpn.Server) (vpn.Metrics, error) {
	const transfer = "/metrics/transfer"
	status, raw, err := p.call(ctx, s, http.MethodGet, transfer, nil)
	if err != nil {
		return vpn.Metrics{}, err
	}
	var t struct {
		Bytes map[string]int64 `json:"bytesTransferredByUserId"`
	}
	if status != http.StatusOK || json.Unmarshal(raw, &t) != nil {
		return vpn.Metrics{}, refused(s, http.MethodGet, transfer, status, raw)
	}
	m := vpn.Metrics{TransferByRemoteID: t.Bytes}
	recent := "/experimental/server/metrics?since=" + fmt.Sprintf("%ds", int(activeWindow/time.Second))
	status, raw, err = p.call(ctx, s, http.MethodGet, recent, nil)
	if err != nil {
		return vpn.Metrics{}, err
	}
	var e experimentalMetrics
	if status != http.StatusOK || json.Unmarshal(raw, &e) != nil {
		return m, nil // an older server: transfer only
	}
	since := p.clock.Now().Add(-activeWindow).Unix()
	for _, k := range e.AccessKeys {
		if k.Connection.LastTrafficSeen >= since || (k.Connection.LastTrafficSeen == 0 && k.DataTransferred.Bytes > 0) {
			m.ActiveConnections++
		}
	}
	return m, nil
}
