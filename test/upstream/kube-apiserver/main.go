// Command kube-apiserver is the real Kubernetes API server (k8s.io/kubernetes/cmd/kube-apiserver/app)
// with a real etcd (go.etcd.io/etcd/server/v3/embed) started in the same process, so the tests build
// and run one binary instead of two. Both come from the versions k8s.io/kubernetes's own go.mod pins,
// so there is one dependency tree.
//
// The wrapper adds nothing to the API server: every argument is passed to it unchanged, plus
// --etcd-servers pointing at the embedded etcd. etcd listens on 127.0.0.1 only, on ports the kernel
// picks, keeps its data in $EMBEDDED_ETCD_DATA_DIR and skips fsync (the data is thrown away).
// Linux only (it asks the kernel to stop it with its parent).
package main

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"syscall"
	"time"
	_ "time/tzdata" // CronJob time zones, as in the upstream main

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	// Never outlive the test that started us: when the parent dies (a killed jest worker, ^C),
	// the kernel sends SIGTERM, which stops the API server and with it the embedded etcd.
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0); errno != 0 {
		fail("prctl(PR_SET_PDEATHSIG): %v", errno)
	}
	if os.Getppid() == 1 {
		fail("parent already gone")
	}
	dataDir := os.Getenv("EMBEDDED_ETCD_DATA_DIR")
	if dataDir == "" {
		fail("set EMBEDDED_ETCD_DATA_DIR to an empty directory for the embedded etcd")
	}
	clientURL, peerURL := loopbackURL(), loopbackURL()

	cfg := embed.NewConfig()
	cfg.Name = "conformance"
	cfg.Dir = dataDir
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	cfg.UnsafeNoFsync = true

	etcd, err := embed.StartEtcd(cfg)
	if err != nil {
		fail("embedded etcd did not start: %v", err)
	}
	select {
	case <-etcd.Server.ReadyNotify():
	case err := <-etcd.Err():
		fail("embedded etcd failed: %v", err)
	case <-time.After(2 * time.Minute):
		fail("embedded etcd not ready after 2 minutes")
	}
	fmt.Fprintf(os.Stderr, "embedded etcd ready at %s\n", clientURL.String())

	command := app.NewAPIServerCommand()
	command.SetArgs(append(os.Args[1:], "--etcd-servers="+clientURL.String()))
	code := cli.Run(command)
	etcd.Close()
	os.Exit(code)
}

// loopbackURL reserves a free port on 127.0.0.1 (the kernel picks it) and returns it as a URL.
func loopbackURL() url.URL {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("no free port on 127.0.0.1: %v", err)
	}
	defer listener.Close()
	return url.URL{Scheme: "http", Host: listener.Addr().String()}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kube-apiserver wrapper: "+format+"\n", args...)
	os.Exit(1)
}
