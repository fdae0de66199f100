package codechain

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts codes sent and failed by channel.
type Metrics struct {
	sentTotal   *prometheus.CounterVec
	failedTotal *prometheus.CounterVec
}

// NewMetrics registers delivery_codes_sent_total{channel} and
// delivery_codes_failed_total{channel,reason} on reg.
func NewMetrics(reg *prometheus.Registry) (*Metrics, error) {
	m := &Metrics{
		sentTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "delivery_codes_sent_total",
			Help: "Phone codes a channel accepted, by channel.",
		}, []string{"channel"}),
		failedTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "delivery_codes_failed_total",
			Help: "Phone codes a channel did not take, by channel and fault reason (delivery.unreachable hands on to the next channel).",
		}, []string{"channel", "reason"}),
	}
	for _, c := range []prometheus.Collector{m.sentTotal, m.failedTotal} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("codechain: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) sent(channel string) { m.sentTotal.WithLabelValues(channel).Inc() }

func (m *Metrics) failed(channel, reason string) {
	m.failedTotal.WithLabelValues(channel, reason).Inc()
}
