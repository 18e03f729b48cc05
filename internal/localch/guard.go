package localch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"contribtrack/queries"
)

// clickhouse-local answers a failed native handshake (a database that does
// not exist, an unknown user, a wrong password) by throwing from its
// connection handler, which terminates the whole process. The supervisor
// therefore reads each connection's Hello packet first, asks the engine
// over HTTP (where the same failure is an ordinary error) whether that
// database, user and password would be accepted, and answers a refusal
// itself, as a native Exception packet that clients show like the
// server's own. Only accepted handshakes reach the engine.

// handshakeTimeout bounds how long a new connection may take to send its
// Hello packet.
const handshakeTimeout = 10 * time.Second

// maxHelloString bounds each string of a Hello packet.
const maxHelloString = 1 << 16

// hello is what the guard needs from a client's Hello packet.
type hello struct {
	database, user, password string
}

// serve accepts connections until the listener is closed.
func (s *supervisor) serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.stopping.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			s.log.Warn("accepting a connection", "err", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		go s.handle(c)
	}
}

// handle checks one client's handshake and forwards the connection to the
// engine.
func (s *supervisor) handle(client net.Conn) {
	defer client.Close()
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("proxying a connection panicked", "panic", fmt.Sprint(r))
		}
	}()
	_ = client.SetReadDeadline(time.Now().Add(handshakeTimeout))
	var seen bytes.Buffer
	br := bufio.NewReader(io.TeeReader(client, &seen))
	h, isHello, err := readHello(br)
	if err != nil {
		return // the client went away or sent garbage
	}
	_ = client.SetReadDeadline(time.Time{})
	ctx, cancel := context.WithTimeout(context.Background(), proxyWaitForEngine)
	defer cancel()
	if err := s.waitUp(ctx); err != nil {
		_ = writeException(client, 210, "DB::NetException", err.Error()) // NETWORK_ERROR
		return
	}
	if isHello {
		if code, msg, err := s.http.check(ctx, h); err != nil {
			_ = writeException(client, 210, "DB::NetException", "the embedded ClickHouse engine did not answer: "+err.Error())
			return
		} else if code != 0 {
			_ = writeException(client, code, "DB::Exception", msg)
			return
		}
	}
	engine, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.cfg.EngineTCPPort), 5*time.Second)
	if err != nil {
		_ = writeException(client, 210, "DB::NetException", "the embedded ClickHouse engine did not accept the connection: "+err.Error())
		return
	}
	defer engine.Close()
	s.track(engine, true)
	defer s.track(engine, false)
	// What was read so far: the bytes bufio consumed from the client.
	if _, err := engine.Write(seen.Bytes()); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(engine, client); closeWrite(engine); done <- struct{}{} }()
	go func() { _, _ = io.Copy(client, engine); closeWrite(client); done <- struct{}{} }()
	<-done
	<-done
}

func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

// readHello reads a native-protocol Hello packet: packet type 0, client
// name, version major, minor and protocol revision, database, user,
// password. isHello is false when the first packet is something else (the
// engine then answers it as it would).
func readHello(r *bufio.Reader) (h hello, isHello bool, err error) {
	kind, err := binary.ReadUvarint(r)
	if err != nil || kind != 0 {
		return h, false, err
	}
	if _, err = readString(r); err != nil { // client name
		return h, false, err
	}
	for range 3 { // version major, minor, protocol revision
		if _, err = binary.ReadUvarint(r); err != nil {
			return h, false, err
		}
	}
	if h.database, err = readString(r); err != nil {
		return h, false, err
	}
	if h.user, err = readString(r); err != nil {
		return h, false, err
	}
	if h.password, err = readString(r); err != nil {
		return h, false, err
	}
	return h, true, nil
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > maxHelloString {
		return "", fmt.Errorf("a Hello string of %d bytes", n)
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return string(b), err
}

// writeException sends a native-protocol Exception packet: packet type 2,
// code (Int32), name, message, stack trace, has-nested (UInt8).
func writeException(w io.Writer, code int32, name, message string) error {
	var b []byte
	b = binary.AppendUvarint(b, 2)
	b = binary.LittleEndian.AppendUint32(b, uint32(code))
	for _, s := range []string{name, message, ""} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = append(b, 0)
	_, err := w.Write(b)
	return err
}

// engineHTTP talks to the engine's HTTP port.
type engineHTTP struct{ port int }

func (e engineHTTP) post(ctx context.Context, params url.Values, query string, h *hello) (*http.Response, error) {
	u := "http://127.0.0.1:" + strconv.Itoa(e.port) + "/?" + params.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(query))
	if err != nil {
		return nil, err
	}
	if h != nil {
		req.Header.Set("X-ClickHouse-User", h.user)
		req.Header.Set("X-ClickHouse-Key", h.password)
	}
	return http.DefaultClient.Do(req)
}

// ping reports whether the engine answers over HTTP.
func (e engineHTTP) ping(ctx context.Context) error {
	resp, err := e.post(ctx, nil, queries.MustRead("ping.sql"), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return nil
}

// check asks the engine whether it would accept a handshake: code is 0
// when it would, else ClickHouse's error code and message.
func (e engineHTTP) check(ctx context.Context, h hello) (code int32, msg string, err error) {
	params := url.Values{}
	if h.database != "" {
		params.Set("database", h.database)
	}
	if h.user == "" {
		h.user = "default"
	}
	resp, err := e.post(ctx, params, queries.MustRead("ping.sql"), &h)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode == http.StatusOK {
		return 0, "", nil
	}
	c, err := strconv.ParseInt(resp.Header.Get("X-ClickHouse-Exception-Code"), 10, 32)
	if err != nil {
		return 0, "", fmt.Errorf("HTTP %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return int32(c), exceptionText(string(body)), nil
}

// exceptionText turns "Code: 81. DB::Exception: Database x does not
// exist. (UNKNOWN_DATABASE) (version ...)" into "Database x does not
// exist. (UNKNOWN_DATABASE)".
func exceptionText(body string) string {
	body = strings.TrimSpace(body)
	if _, rest, ok := strings.Cut(body, "DB::Exception: "); ok {
		body = rest
	}
	if i := strings.LastIndex(body, " (version "); i > 0 {
		body = body[:i]
	}
	return body
}

// killKeepAlive ends the engine's keep-alive query.
func (e engineHTTP) killKeepAlive(ctx context.Context) error {
	resp, err := e.post(ctx, nil, queries.MustRead("engine_stop.sql"), nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
