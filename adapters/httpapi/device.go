package httpapi

import (
	"net/http"

	"gatehouse/core/sessions"
	"gatehouse/ports"
)

// DeviceOf describes the device a request comes from, for a sign-in or a
// refresh: the name a person sees (clientName when the contract lets the
// client give one, else read from the User-Agent by
// sessions.DescribeDevice), the user agent and the client address. Every
// frontend describes devices here, so one browser has one name everywhere.
func DeviceOf(r *http.Request, clientName string) ports.DeviceInfo {
	name, ua := sessions.DescribeDevice(r.Header.Get("User-Agent"), clientName)
	return ports.DeviceInfo{Name: name, UserAgent: ua, IP: ClientIP(r)}
}
