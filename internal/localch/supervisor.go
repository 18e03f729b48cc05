package localch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The supervisor is the process a library server's state file names. It
// owns the native port that clients use and forwards each connection to
// the engine's own port, after checking the connection's handshake (see
// guard.go); it starts the engine, restarts it when it dies, records each
// death in crashes.jsonl and log/supervisor.log, and stops the engine
// cleanly on SIGTERM.

// supervisorConfig is what the supervisor is started with.
type supervisorConfig struct {
	Dir, Library, ConfigFile string
	TCPPort                  int // clients' native port (the proxy)
	EngineTCPPort            int // the engine's native port, loopback only
	HTTPPort                 int // the engine's HTTP port (clients use it directly)
}

// Restart back-off after the engine dies: first wait, and the longest.
const (
	restartFirstWait = 200 * time.Millisecond
	restartMaxWait   = 30 * time.Second
	// engineHealthy is how long an engine must have run for the back-off
	// to start again from restartFirstWait.
	engineHealthy = time.Minute
	// proxyWaitForEngine is how long a new connection waits for an engine
	// that is restarting before it is refused.
	proxyWaitForEngine = startTimeout
)

type supervisor struct {
	cfg supervisorConfig
	log *slog.Logger
	// ep is the engine's current state: up (a channel closed while an
	// engine answers) and the running command.
	mu       sync.Mutex
	up       chan struct{}
	cmd      *exec.Cmd
	stopping atomic.Bool
	http     engineHTTP
	// errLogStart is the error log's size when the current engine
	// started: its fatal message, if it dies, comes after it.
	errLogStart int64
	// proxied are the engine sides of the connections being proxied,
	// closed when the supervisor stops: clickhouse-local waits for open
	// connections when it shuts down, then exits 1.
	proxiedMu sync.Mutex
	proxied   map[net.Conn]bool
}

// track adds (or, with add false, removes) a proxied connection to the
// engine; once stopping, a new one is closed at once.
func (s *supervisor) track(c net.Conn, add bool) {
	s.proxiedMu.Lock()
	defer s.proxiedMu.Unlock()
	if !add {
		delete(s.proxied, c)
		return
	}
	if s.stopping.Load() {
		_ = c.Close()
		return
	}
	if s.proxied == nil {
		s.proxied = map[net.Conn]bool{}
	}
	s.proxied[c] = true
}

// closeProxied closes every proxied connection to the engine.
func (s *supervisor) closeProxied() {
	s.proxiedMu.Lock()
	defer s.proxiedMu.Unlock()
	for c := range s.proxied {
		_ = c.Close()
	}
}

// runSupervisor runs until SIGTERM or SIGINT; it returns 1 when the first
// engine cannot be started.
func runSupervisor(cfg supervisorConfig) int {
	logFile, err := os.OpenFile(filepath.Join(cfg.Dir, "log", "supervisor.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintf(os.Stderr, "contribtrack supervisor: %v\n", err)
		return 1
	}
	defer logFile.Close()
	s := &supervisor{
		cfg:  cfg,
		log:  slog.New(slog.NewTextHandler(logFile, nil)),
		up:   make(chan struct{}),
		http: engineHTTP{port: cfg.HTTPPort},
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.TCPPort))
	if err != nil {
		s.fail("listening on the native port: %v", err)
		return 1
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)

	exited, err := s.startEngine()
	if err != nil {
		s.fail("%v", err)
		ln.Close()
		return 1
	}
	s.log.Info("engine up", "pid", s.cmd.Process.Pid, "tcp_port", cfg.TCPPort, "http_port", cfg.HTTPPort)
	go s.serve(ln)
	wait := restartFirstWait
	started := time.Now()
	for {
		select {
		case sig := <-sigs:
			s.log.Info("stopping", "signal", sig.String())
			s.stopping.Store(true)
			ln.Close()
			s.stopEngine(exited)
			return 0
		case status := <-exited:
			s.markDown()
			if time.Since(started) > engineHealthy {
				wait = restartFirstWait
			}
			c := s.recordCrash(status)
			s.log.Error("the engine died; restarting it", "pid", c.PID, "status", c.Status, "reason", c.Reason, "after", wait)
			// Until an engine answers again, or a signal: a restart that
			// fails is no new death, and is only logged.
			for {
				select {
				case sig := <-sigs:
					s.log.Info("stopping", "signal", sig.String())
					ln.Close()
					return 0
				case <-time.After(wait):
				}
				wait = min(wait*2, restartMaxWait)
				if exited, err = s.startEngine(); err == nil {
					break
				}
				s.log.Error("restarting the engine failed; trying again", "err", err, "after", wait)
			}
			started = time.Now()
			s.log.Info("engine up again", "pid", s.cmd.Process.Pid)
		}
	}
}

// fail reports an error that stops the supervisor, in its log and on
// stderr (which its starter reads).
func (s *supervisor) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.log.Error(msg)
	fmt.Fprintln(os.Stderr, "contribtrack supervisor: "+msg)
}

// startEngine starts an engine process and waits until it answers. The
// returned channel receives the process's exit status when it ends.
func (s *supervisor) startEngine() (<-chan string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding this program to run the engine: %w", err)
	}
	out, err := os.OpenFile(filepath.Join(s.cfg.Dir, "log", "engine.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	fmt.Fprintf(out, "--- %s: starting the engine (%s)\n", time.Now().UTC().Format(time.RFC3339), s.cfg.Library)
	errLogStart := fileSize(errLogPath(s.cfg.Dir))
	cmd := exec.Command(self, "-library="+s.cfg.Library, "-config-file="+s.cfg.ConfigFile)
	cmd.Env = append(os.Environ(), roleEnv+"="+roleEngine)
	cmd.Dir = s.cfg.Dir
	cmd.Stdin = nil // /dev/null: clickhouse-local would read stdin as table data
	cmd.Stdout, cmd.Stderr = out, out
	// The engine must not outlive its supervisor: nothing would stop it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the engine: %w", err)
	}
	exited := make(chan string, 1)
	go func() {
		err := cmd.Wait()
		status := "exit status 0"
		if err != nil {
			status = err.Error()
		}
		exited <- status
	}()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		if err := s.http.ping(ctx); err == nil {
			break
		}
		select {
		case status := <-exited:
			return nil, fmt.Errorf("the engine exited while starting (%s)%s", status, logTails(s.cfg.Dir))
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			<-exited
			return nil, fmt.Errorf("the engine did not answer within %s%s", startTimeout, logTails(s.cfg.Dir))
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.mu.Lock()
	s.cmd, s.errLogStart = cmd, errLogStart
	close(s.up)
	s.mu.Unlock()
	return exited, nil
}

// markDown makes new connections wait for the next engine.
func (s *supervisor) markDown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.up:
		s.up = make(chan struct{})
	default:
	}
}

// waitUp waits until an engine answers, or ctx ends.
func (s *supervisor) waitUp(ctx context.Context) error {
	s.mu.Lock()
	up := s.up
	s.mu.Unlock()
	select {
	case <-up:
		return nil
	case <-ctx.Done():
		return errors.New("the embedded ClickHouse engine is restarting and did not come back in time")
	}
}

// stopEngine ends the engine's keep-alive query, so that clickhouse-local
// shuts down cleanly, and kills the engine if it has not exited after
// stopTimeout.
func (s *supervisor) stopEngine(exited <-chan string) {
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	// Clients' connections are closed first, and the guard's and the
	// stop's HTTP connections (kept open, idle, for reuse) after the stop:
	// clickhouse-local waits 5 s for open connections when it shuts down,
	// then exits 1 ("Closed connections. But 2 remain").
	s.closeProxied()
	if err := s.http.killKeepAlive(ctx); err != nil {
		s.log.Warn("asking the engine to stop", "err", err)
	}
	http.DefaultClient.CloseIdleConnections()
	select {
	case status := <-exited:
		s.log.Info("engine stopped", "status", status)
	case <-ctx.Done():
		s.log.Warn("the engine did not stop in time; killing it")
		_ = s.cmd.Process.Kill()
		<-exited
	}
}
