package localch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ClusterName is the name a local cluster has in remote_servers, ON
// CLUSTER and Distributed tables.
const ClusterName = "contribtrack"

// ErrNoZooKeeper is returned (wrapped) by EnsureCluster when ZooKeeper or
// Java cannot be found.
var ErrNoZooKeeper = errors.New("no ZooKeeper found: on Debian/Ubuntu run \"apt-get install zookeeper\" " +
	"(or scripts/install-zookeeper.sh); it needs Java")

// zooKeeperJars are where Debian's zookeeper package puts its classes, and
// zooKeeperLogger a logger it can write with (Debian's libslf4j-java).
var (
	zooKeeperJars   = []string{"/usr/share/java/zookeeper.jar"}
	zooKeeperLogger = "/usr/share/java/slf4j-simple.jar"
)

// Node is one server of a local cluster.
type Node struct {
	Shard, Replica  int // from 1
	Dir             string
	TCPPort         int
	HTTPPort        int
	InterserverPort int `json:",omitempty"` // an 18.16 node's: its replicas fetch parts there
	EngineTCPPort   int `json:",omitempty"` // a library node's engine (its supervisor forwards TCPPort to it)
	PID             int
}

// Addr is the node's native-protocol address.
func (n Node) Addr() string { return "127.0.0.1:" + strconv.Itoa(n.TCPPort) }

// Cluster is a running local ClickHouse cluster on loopback, all under one
// directory: either ZooKeeper and shards x replicas 18.16 servers
// (EnsureCluster: replication and ON CLUSTER), or shards 26.x servers of
// one replica each and no ZooKeeper (EnsureShardedCluster: sharding and
// Distributed tables).
type Cluster struct {
	Dir           string
	Shards        int
	Replicas      int
	ZooKeeperPort int `json:",omitempty"`
	ZooKeeperPID  int `json:",omitempty"`
	Binary        string
	// Modern: the nodes run the embedded default's server (ClickHouse
	// 26.x: the ClickHouse library, or an official binary of 24.8 or
	// newer), with no ZooKeeper, no interserver port and no distributed
	// DDL; the cluster is only in their remote_servers.
	Modern bool   `json:",omitempty"`
	Nodes  []Node // by shard, then replica
}

// DSN names every node (clickhouse-go fails over between them) and the
// database.
func (c *Cluster) DSN(database string) string {
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr()
	}
	return "clickhouse://" + strings.Join(addrs, ",") + "/" + database
}

// NodeDSN is one node's DSN.
func (c *Cluster) NodeDSN(i int, database string) string {
	return "clickhouse://" + c.Nodes[i].Addr() + "/" + database
}

const clusterStateFile = "cluster.json"

// EnsureCluster returns the local replicated cluster whose files live in
// dir (Debian's ClickHouse 18.16 and ZooKeeper: what replication and ON
// CLUSTER need), starting ZooKeeper and the servers that do not run, and
// reusing a cluster that does. Several processes may call it at once (a
// lock on dir/lock). A nil log means slog.Default().
func EnsureCluster(ctx context.Context, dir string, shards, replicas int, log *slog.Logger) (*Cluster, error) {
	return ensureCluster(ctx, dir, shards, replicas, false, log)
}

// EnsureShardedCluster is EnsureCluster for a cluster of shards servers of
// the embedded default's release (26.x: what Ensure runs), one replica
// per shard and no ZooKeeper: each node has the cluster in its
// remote_servers, so Distributed tables over plain MergeTree work, while
// replication and ON CLUSTER do not (a library server has no interserver
// port and no DDL worker).
func EnsureShardedCluster(ctx context.Context, dir string, shards int, log *slog.Logger) (*Cluster, error) {
	return ensureCluster(ctx, dir, shards, 1, true, log)
}

func ensureCluster(ctx context.Context, dir string, shards, replicas int, modern bool, log *slog.Logger) (*Cluster, error) {
	if log == nil {
		log = slog.Default()
	}
	if shards < 1 || replicas < 1 {
		return nil, fmt.Errorf("localch: a cluster needs at least one shard and one replica")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("localch: %w", err)
	}
	unlock, err := lockDir(ctx, dir, lockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()

	c, err := readCluster(dir)
	if err == nil && c.Shards == shards && c.Replicas == replicas && c.Modern == modern {
		if err := c.revive(ctx, log); err == nil {
			return c, nil
		}
	}
	if c != nil {
		c.stopAll()
	}
	c = &Cluster{Dir: dir, Shards: shards, Replicas: replicas, Modern: modern}
	bin, err := c.server(ctx, log)
	if err != nil {
		return nil, err
	}
	c.Binary = bin.path
	var java, jar string
	if !modern {
		if java, jar, err = findZooKeeper(); err != nil {
			return nil, err
		}
	}
	// Three ports a node: native and HTTP, and the interserver port (18.16)
	// or the engine's own native port (a library server's).
	ports, err := freePorts(1 + 3*shards*replicas)
	if err != nil {
		return nil, err
	}
	zooKeeperPort, ports := ports[0], ports[1:]
	for s := 1; s <= shards; s++ {
		for r := 1; r <= replicas; r++ {
			n := Node{Shard: s, Replica: r, Dir: filepath.Join(dir, fmt.Sprintf("s%dr%d", s, r)), TCPPort: ports[0], HTTPPort: ports[1]}
			if modern {
				n.EngineTCPPort = ports[2]
			} else {
				n.InterserverPort = ports[2]
			}
			c.Nodes = append(c.Nodes, n)
			ports = ports[3:]
		}
	}
	log.Info("starting a local ClickHouse cluster", "dir", dir, "shards", shards, "replicas", replicas, "server", bin.path)
	if !modern {
		c.ZooKeeperPort = zooKeeperPort
		if c.ZooKeeperPID, err = startZooKeeper(ctx, dir, java, jar, c.ZooKeeperPort); err != nil {
			return nil, err
		}
	}
	for i := range c.Nodes {
		if err := c.startNode(ctx, i); err != nil {
			c.stopAll()
			return nil, err
		}
	}
	if err := writeCluster(c); err != nil {
		c.stopAll()
		return nil, err
	}
	return c, nil
}

// server is what the cluster's nodes run: the embedded default's server
// (findBinary) on a modern cluster, Debian's 18.16 on a replicated one.
func (c *Cluster) server(ctx context.Context, log *slog.Logger) (serverBinary, error) {
	if c.Modern {
		return defaultSearch().findBinary(ctx, log)
	}
	return defaultSearch().findLegacyServer()
}

// revive checks a recorded cluster: ZooKeeper must run (a replicated
// cluster's); a node that is down (a test stopped it) is started again
// with its ports.
func (c *Cluster) revive(ctx context.Context, log *slog.Logger) error {
	if !c.Modern && (!alive(c.ZooKeeperPID) || !isOurProcess(c.ZooKeeperPID, zooConfigPath(c.Dir))) {
		return fmt.Errorf("ZooKeeper is not running")
	}
	for i, n := range c.Nodes {
		if alive(n.PID) && isOurServer(n.PID, configPath(n.Dir)) && ping(ctx, n.TCPPort) == nil {
			continue
		}
		log.Info("starting a stopped cluster node again", "shard", n.Shard, "replica", n.Replica)
		if err := c.startNode(ctx, i); err != nil {
			return err
		}
	}
	return writeCluster(c)
}

// StopNode stops one node (for tests of a shard going away); StartNode
// starts it again on the same ports, with its data.
func (c *Cluster) StopNode(i int) error {
	unlock, err := lockDir(context.Background(), c.Dir, lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	if !terminate(c.Nodes[i].PID) {
		return fmt.Errorf("localch: node %d (pid %d) did not stop", i, c.Nodes[i].PID)
	}
	return nil
}

// StartNode starts a stopped node again.
func (c *Cluster) StartNode(ctx context.Context, i int) error {
	unlock, err := lockDir(ctx, c.Dir, lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	if err := c.startNode(ctx, i); err != nil {
		return err
	}
	return writeCluster(c)
}

func (c *Cluster) startNode(ctx context.Context, i int) error {
	bin, err := c.server(ctx, slog.Default())
	if err != nil {
		return err
	}
	n := &c.Nodes[i]
	if err := os.MkdirAll(n.Dir, 0o755); err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	if bin.library && n.EngineTCPPort == 0 {
		return fmt.Errorf("localch: cluster node shard %d replica %d has no engine port (a cluster recorded before it ran the library)", n.Shard, n.Replica)
	}
	pid, exited, err := launchWith(n.Dir, bin, ports{TCP: n.TCPPort, HTTP: n.HTTPPort, EngineTCP: n.EngineTCPPort}, c.nodeXML(*n))
	if err != nil {
		return err
	}
	if err := waitReady(ctx, pid, n.TCPPort, exited); err != nil {
		terminate(pid)
		return fmt.Errorf("localch: cluster node shard %d replica %d (port %d) did not start: %w%s",
			n.Shard, n.Replica, n.TCPPort, err, logTails(n.Dir))
	}
	n.PID = pid
	return nil
}

// nodeXML is what a node adds to the single server's configuration: its
// macros and the cluster, and on a replicated cluster ZooKeeper,
// distributed DDL and the port its replicas fetch parts from. The cluster
// names each node's client port (a library server's supervisor: the
// shards reach each other through its guard, as clients do).
func (c *Cluster) nodeXML(n Node) string {
	var servers strings.Builder
	for s := 1; s <= c.Shards; s++ {
		servers.WriteString("            <shard>\n                <internal_replication>true</internal_replication>\n")
		for _, m := range c.Nodes {
			if m.Shard == s {
				fmt.Fprintf(&servers, "                <replica><host>127.0.0.1</host><port>%d</port></replica>\n", m.TCPPort)
			}
		}
		servers.WriteString("            </shard>\n")
	}
	if c.Modern {
		return fmt.Sprintf(`    <macros>
        <cluster>%s</cluster>
        <shard>%02d</shard>
        <replica>r%d</replica>
    </macros>
    <remote_servers>
        <%s>
%s        </%s>
    </remote_servers>
`, ClusterName, n.Shard, n.Replica, ClusterName, servers.String(), ClusterName)
	}
	return fmt.Sprintf(`    <interserver_http_host>127.0.0.1</interserver_http_host>
    <interserver_http_port>%d</interserver_http_port>
    <zookeeper>
        <node><host>127.0.0.1</host><port>%d</port></node>
        <session_timeout_ms>30000</session_timeout_ms>
    </zookeeper>
    <distributed_ddl>
        <path>/clickhouse/task_queue/ddl</path>
    </distributed_ddl>
    <macros>
        <cluster>%s</cluster>
        <shard>%02d</shard>
        <replica>r%d</replica>
    </macros>
    <remote_servers>
        <%s>
%s        </%s>
    </remote_servers>
`, n.InterserverPort, c.ZooKeeperPort, ClusterName, n.Shard, n.Replica, ClusterName, servers.String(), ClusterName)
}

// StopCluster stops every process of the cluster in dir (not an error
// when none runs).
func StopCluster(dir string) error {
	return withExistingDir(dir, func(dir string) error {
		c, err := readCluster(dir)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil
			}
			return err
		}
		c.stopAll()
		return os.Remove(filepath.Join(dir, clusterStateFile))
	})
}

func (c *Cluster) stopAll() {
	for _, n := range c.Nodes {
		if alive(n.PID) && isOurServer(n.PID, configPath(n.Dir)) {
			terminate(n.PID)
		}
	}
	if c.ZooKeeperPID != 0 && alive(c.ZooKeeperPID) && isOurProcess(c.ZooKeeperPID, zooConfigPath(c.Dir)) {
		terminate(c.ZooKeeperPID)
	}
}

func readCluster(dir string) (*Cluster, error) {
	data, err := os.ReadFile(filepath.Join(dir, clusterStateFile))
	if err != nil {
		return nil, err
	}
	var c Cluster
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("localch: parsing %s: %w", filepath.Join(dir, clusterStateFile), err)
	}
	c.Dir = dir
	return &c, nil
}

func writeCluster(c *Cluster) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("localch: %w", err)
	}
	return writeFileAtomic(filepath.Join(c.Dir, clusterStateFile), append(data, '\n'))
}

// findZooKeeper finds Java and Debian's ZooKeeper classes.
func findZooKeeper() (java, jar string, err error) {
	java, err = exec.LookPath("java")
	if err != nil {
		if _, statErr := os.Stat("/usr/bin/java"); statErr != nil {
			return "", "", fmt.Errorf("localch: no java on PATH: %w", ErrNoZooKeeper)
		}
		java = "/usr/bin/java"
	}
	for _, j := range zooKeeperJars {
		if _, err := os.Stat(j); err == nil {
			return java, j, nil
		}
	}
	return "", "", fmt.Errorf("localch: looked for %s: %w", strings.Join(zooKeeperJars, ", "), ErrNoZooKeeper)
}

func zooConfigPath(dir string) string { return filepath.Join(dir, "zookeeper", "zoo.cfg") }

// startZooKeeper runs a standalone ZooKeeper on loopback (no admin
// server: it would take port 8080) and waits until it answers.
func startZooKeeper(ctx context.Context, dir, java, jar string, port int) (int, error) {
	zdir := filepath.Join(dir, "zookeeper")
	if err := os.MkdirAll(filepath.Join(zdir, "data"), 0o755); err != nil {
		return 0, fmt.Errorf("localch: %w", err)
	}
	cfg := fmt.Sprintf("tickTime=2000\ndataDir=%s\nclientPort=%d\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n"+
		"4lw.commands.whitelist=srvr\nmaxClientCnxns=0\n", filepath.Join(zdir, "data"), port)
	if err := writeFileAtomic(zooConfigPath(dir), []byte(cfg)); err != nil {
		return 0, err
	}
	out, err := os.OpenFile(filepath.Join(zdir, "zookeeper.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, fmt.Errorf("localch: %w", err)
	}
	defer out.Close()
	classpath := jar
	if _, err := os.Stat(zooKeeperLogger); err == nil {
		classpath += ":" + zooKeeperLogger // its log in zookeeper.log
	}
	cmd := exec.Command(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
		"org.apache.zookeeper.server.ZooKeeperServerMain", zooConfigPath(dir))
	cmd.Dir, cmd.Stdout, cmd.Stderr = zdir, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("localch: starting ZooKeeper: %w", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		if zooKeeperOK(port) {
			return cmd.Process.Pid, nil
		}
		select {
		case <-exited:
			return 0, fmt.Errorf("localch: ZooKeeper exited at start%s", tailOf(filepath.Join(zdir, "zookeeper.log")))
		case <-ctx.Done():
			terminate(cmd.Process.Pid)
			return 0, fmt.Errorf("localch: ZooKeeper did not answer on port %d: %w%s", port, ctx.Err(), tailOf(filepath.Join(zdir, "zookeeper.log")))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// zooKeeperOK asks ZooKeeper "srvr": it answers with its mode only once
// it serves requests ("ruok" answers before that, and a ClickHouse 18.16
// node that connects then loses its session and can crash).
func zooKeeperOK(port int) bool {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err != nil {
		return false
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("srvr")); err != nil {
		return false
	}
	answer, _ := io.ReadAll(io.LimitReader(conn, 4096))
	return bytes.Contains(answer, []byte("Mode: "))
}

func tailOf(path string) string {
	lines := tail(path, 20)
	if len(lines) == 0 {
		return ""
	}
	return "\n--- last lines of " + path + ":\n" + strings.Join(lines, "\n")
}

// isOurProcess reports whether pid runs with arg on its command line.
func isOurProcess(pid int, arg string) bool {
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return true // no procfs: trust the pid
	}
	return bytes.Contains(cmdline, []byte(arg))
}

// freePorts returns n distinct free loopback ports.
func freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("localch: finding a free port: %w", err)
		}
		defer l.Close()
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports, nil
}
