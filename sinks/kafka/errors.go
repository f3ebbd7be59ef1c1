package kafka

import (
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/sqlstream/sqlstream/exec"
)

// fatalHints are the Kafka errors no retry can fix, with what to do.
var fatalHints = map[*kerr.Error]string{
	kerr.MessageTooLarge:                    "a message exceeds the broker's size limit (topic max.message.bytes / broker message.max.bytes); raise it or make rows smaller",
	kerr.RecordListTooLarge:                 "a batch exceeds the broker's segment size; raise the topic's segment.bytes",
	kerr.InvalidRecord:                      "the broker rejected a record (a compacted topic needs a key: use a keyed format on a view with a unique key)",
	kerr.CorruptMessage:                     "the broker rejected a record as corrupt (a compacted topic needs a key on every record: use a keyed format on a view with a unique key)",
	kerr.TopicAuthorizationFailed:           "the client is not authorized to write the topic; grant WRITE and DESCRIBE on it",
	kerr.ClusterAuthorizationFailed:         "the client is not authorized on the cluster (idempotent writes need IDEMPOTENT_WRITE)",
	kerr.TransactionalIDAuthorizationFailed: "the client is not authorized to use its transactional id; grant WRITE on it, or set 'sink.delivery' = 'at-least-once'",
	kerr.ProducerFenced:                     "another producer with the same transactional id took over: two pipelines write through the same sink name and topic; give one a different 'transactional.id.prefix'",
	kerr.TransactionCoordinatorFenced:       "another producer with the same transactional id took over; give each pipeline its own 'transactional.id.prefix'",
	kerr.InvalidTransactionTimeout:          "the transaction timeout exceeds the broker's transaction.max.timeout.ms; lower 'sink.delivery.timeout'",
	kerr.UnsupportedVersion:                 "the broker is too old for this request (transactions need Kafka 0.11+)",
	kerr.UnsupportedForMessageFormat:        "the topic's message format is too old for this request",
	kerr.InvalidRequiredAcks:                "the broker rejected acks=all",
	kerr.PolicyViolation:                    "a broker policy rejected the request",
	kerr.InvalidTopicException:              "the topic name is invalid",
	kerr.SaslAuthenticationFailed:           "authentication failed",
}

// fatalError is a failure no retry can fix that is not a Kafka error
// code: a missing topic, a changelog row in format 'json'.
type fatalError struct{ msg string }

func (e *fatalError) Error() string { return e.msg }

func fatalf(format string, args ...any) error {
	return &fatalError{msg: fmt.Sprintf(format, args...)}
}

// wrap adds what was being done to err.
func wrap(what string, err error) error { return fmt.Errorf("%s: %w", what, err) }

// classify decides whether a failure may be retried. Fatal errors (a
// fatalError, or a Kafka error in fatalHints, explained) are returned as
// they are; so is any error once the caller's context is done (the run is
// stopping). Everything else (a broker that went away, a timeout, a
// retriable Kafka error, an aborted transaction) wraps exec.ErrRetry.
func classify(ctxErr error, what string, err error) error {
	var fe *fatalError
	if errors.As(err, &fe) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var ke *kerr.Error
	if errors.As(err, &ke) {
		if hint, ok := fatalHints[ke]; ok {
			return fmt.Errorf("%s: %w (fatal: %s)", what, err, hint)
		}
	}
	if ctxErr != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s: %w (%w)", what, err, exec.ErrRetry)
}
