package k8s

import "fmt"

// How long a request may take, and how long stopping a WordPress pod may take, from one
// budget. Four settings in three places must agree, or slow requests (imports, plugin
// updates, a long cron run) are cut at every rollout and node drain:
//   - the ingress controller's proxy-read-timeout: how long NGINX waits for a response;
//   - Apache's GracefulShutdownTimeout (APACHE_GRACEFUL_SHUTDOWN_TIMEOUT in the image): how
//     long a graceful stop lets requests in flight finish;
//   - preStop's drain and linger (wp-graceful-stop DRAIN LINGER);
//   - the pod's terminationGracePeriodSeconds, after which the kubelet kills whatever runs.
//
// A request accepted just before Apache's graceful stop began may run as long as the proxy
// waits for it, so the graceful stop allows the whole request budget; the grace period
// then covers drain, that, linger and some slack. The numbers below are the only ones; the
// rest is arithmetic.
//
// User and admin pods share the budget: one controller and one Ingress per site serve
// both, so the proxy allows the same time on either, and either must let it run out.

// podStop is the budget every WordPress pod gets.
var podStop = stopBudget{
	// wp-admin's slow pages (plugin updates, imports) outlast NGINX's 60 s default.
	RequestSeconds: 120,
	// Endpoint removal takes a few seconds to reach every ingress controller; until then
	// new requests keep coming and must be served.
	DrainSeconds: 10,
	// Keeps the container for stragglers after Apache has exited (in a pod Apache is
	// PID 1, so the container usually ends with it and this never runs).
	LingerSeconds: 5,
	// For the preStop exec to start and the kubelet's own bookkeeping.
	SlackSeconds: 5,
}

// stopBudget is one request budget and the stop sequence derived from it. All in seconds.
type stopBudget struct {
	RequestSeconds int
	DrainSeconds   int
	LingerSeconds  int
	SlackSeconds   int
}

// ProxyReadTimeout is the ingress controller's proxy-read-timeout value.
func (b stopBudget) ProxyReadTimeout() string { return fmt.Sprintf("%ds", b.RequestSeconds) }

// GracefulStopSeconds is Apache's GracefulShutdownTimeout: the whole request budget, so a
// request the proxy still waits for is allowed to finish.
func (b stopBudget) GracefulStopSeconds() int { return b.RequestSeconds }

// GracePeriodSeconds is the pod's terminationGracePeriodSeconds: the preStop sequence
// (drain, graceful stop, linger) plus slack before the kubelet's SIGKILL.
func (b stopBudget) GracePeriodSeconds() int {
	return b.DrainSeconds + b.GracefulStopSeconds() + b.LingerSeconds + b.SlackSeconds
}

// CronRequestSeconds bounds how long a cron run's curl waits for wp-cron.php on the admin
// pods. wp-cron.php goes on after the client leaves (it ignores aborts), but a run longer
// than the graceful stop would be cut at the next admin rollout, so the Job waits no longer
// than that and a run that needs more shows up as failed.
func (b stopBudget) CronRequestSeconds() int { return b.GracefulStopSeconds() }

// CodeKeepSeconds is how long a user pod keeps a retired copy of the code after swapping in a
// new one (codesync.go): a request that started on it may run for the whole request budget,
// and twice that leaves room for a slow start.
func (b stopBudget) CodeKeepSeconds() int { return 2 * b.RequestSeconds }
