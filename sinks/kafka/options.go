package kafka

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sqlstream/sqlstream/catalog"
	"github.com/sqlstream/sqlstream/exec"
)

// Delivery is the sink's delivery guarantee ('sink.delivery').
type Delivery uint8

const (
	// ExactlyOnce writes each epoch in one Kafka transaction with its
	// marker record: read_committed consumers see every epoch once.
	ExactlyOnce Delivery = iota
	// AtLeastOnce writes without transactions, data first and the marker
	// after it: a crash may repeat the epoch in flight.
	AtLeastOnce
)

func (d Delivery) String() string {
	if d == AtLeastOnce {
		return "at-least-once"
	}
	return "exactly-once"
}

// Format is the record format of the sink ('format').
type Format uint8

const (
	// JSON writes each +I row as a JSON object; the input must be
	// append-only.
	JSON Format = iota + 1
	// DebeziumJSON writes the changelog as Debezium envelopes
	// {"before", "after", "op"}.
	DebeziumJSON
	// UpsertJSON writes the row as the value under its key, and a null
	// value (a tombstone) for a deleted key.
	UpsertJSON
)

func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case DebeziumJSON:
		return "debezium-json"
	case UpsertJSON:
		return "upsert-json"
	}
	return fmt.Sprintf("Format(%d)", f)
}

// Defaults of the sink's timing options.
const (
	DefaultDeliveryTimeout = 30 * time.Second
)

// Config is a parsed kafka sink definition.
type Config struct {
	Brokers  []string
	Topic    string
	Format   Format
	Delivery Delivery
	// EpochTopic is the marker topic ('sink.epoch.topic').
	EpochTopic string
	// TransactionalID names the sink's producer (and keys its markers).
	TransactionalID string
	// DeliveryTimeout bounds one delivery of an epoch
	// ('sink.delivery.timeout'); past it the attempt fails as transient.
	DeliveryTimeout time.Duration
}

// knownOptions are the WITH options the sink reads.
var knownOptions = []string{
	"connector", "format", "brokers", "topic", "sink.delivery", "sink.epoch.topic",
	"sink.delivery.timeout", "transactional.id.prefix",
}

// ParseConfig reads def's WITH options. Errors are *exec.OptionError
// naming the option at fault.
func ParseConfig(def *catalog.Sink) (Config, error) {
	var cfg Config
	for _, opt := range def.Options {
		if strings.EqualFold(opt.Key, "sink.retry.timeout") {
			return cfg, exec.OptionErrorf(opt.Key, "'sink.retry.timeout' is a pipeline setting: write SET 'sink.retry.timeout' = '%s';", opt.Value)
		}
		if !containsFold(knownOptions, opt.Key) {
			k := append([]string(nil), knownOptions...)
			sort.Strings(k)
			return cfg, exec.OptionErrorf(opt.Key, "unknown option '%s' (known: %s)", opt.Key, strings.Join(k, ", "))
		}
	}
	brokers, _ := def.Options.Get("brokers")
	for _, b := range strings.Split(brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			cfg.Brokers = append(cfg.Brokers, b)
		}
	}
	if len(cfg.Brokers) == 0 {
		return cfg, exec.OptionErrorf("brokers", "option 'brokers' is required (host:port, comma-separated)")
	}
	cfg.Topic = strings.TrimSpace(def.Options.String("topic", ""))
	if cfg.Topic == "" {
		return cfg, exec.OptionErrorf("topic", "option 'topic' is required")
	}
	format := def.Format
	if f, ok := def.Options.Get("format"); ok {
		format = f
	}
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "json":
		cfg.Format = JSON
	case "debezium-json":
		cfg.Format = DebeziumJSON
	case "upsert", "upsert-json":
		cfg.Format = UpsertJSON
	case "":
		return cfg, exec.OptionErrorf("format", "option 'format' is required (json, debezium-json or upsert-json)")
	default:
		return cfg, exec.OptionErrorf("format", "format '%s' is not supported by the kafka sink (supported: json, debezium-json, upsert-json)", format)
	}
	switch d := strings.ToLower(strings.TrimSpace(def.Options.String("sink.delivery", "exactly-once"))); d {
	case "exactly-once":
		cfg.Delivery = ExactlyOnce
	case "at-least-once":
		cfg.Delivery = AtLeastOnce
	default:
		return cfg, exec.OptionErrorf("sink.delivery", "option 'sink.delivery' = '%s': want 'exactly-once' or 'at-least-once'", d)
	}
	cfg.EpochTopic = strings.TrimSpace(def.Options.String("sink.epoch.topic", cfg.Topic+".sqlstream-epochs"))
	if cfg.EpochTopic == "" || cfg.EpochTopic == cfg.Topic {
		return cfg, exec.OptionErrorf("sink.epoch.topic", "option 'sink.epoch.topic' must name a topic other than the sink's topic %q", cfg.Topic)
	}
	prefix := strings.TrimSpace(def.Options.String("transactional.id.prefix", "sqlstream-"+cfg.Topic))
	if prefix == "" {
		return cfg, exec.OptionErrorf("transactional.id.prefix", "option 'transactional.id.prefix' must not be empty")
	}
	cfg.TransactionalID = prefix + "-" + def.Name
	var err error
	if cfg.DeliveryTimeout, err = def.Options.Duration("sink.delivery.timeout", DefaultDeliveryTimeout); err != nil {
		return cfg, exec.OptionErrorf("sink.delivery.timeout", "%v", err)
	}
	if cfg.DeliveryTimeout <= 0 {
		return cfg, exec.OptionErrorf("sink.delivery.timeout", "option 'sink.delivery.timeout' must be positive")
	}
	return cfg, nil
}

func containsFold(list []string, s string) bool {
	for _, k := range list {
		if strings.EqualFold(k, s) {
			return true
		}
	}
	return false
}
