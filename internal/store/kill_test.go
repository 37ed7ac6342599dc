package store_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/audit"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// killChildEnv, when set to a database URL, makes TestKillChild the writer
// process that TestSIGKILLLosesNoAcknowledgedWrite starts and kills.
const killChildEnv = "HERALD_STORE_KILL_CHILD_DB"

// TestKillChild is not a test of its own: run by the parent as a child
// process, it writes accounts from several goroutines, as a server under load
// would, and prints "ack ID" once each write's transaction has committed.
func TestKillChild(t *testing.T) {
	url := os.Getenv(killChildEnv)
	if url == "" {
		t.Skip("runs only as the child of TestSIGKILLLosesNoAcknowledgedWrite")
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				acc := &model.Account{Platform: "x", Handle: fmt.Sprintf("@kill%d_%d", w, i), Kind: model.KindCorporate}
				if err := s.CreateAccount(ctx, admin, acc); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Printf("ack %d\n", acc.ID) // os.Stdout is unbuffered
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestSIGKILLLosesNoAcknowledgedWrite kills a writing process with SIGKILL and
// checks that every write it acknowledged is in the database and that the
// audit chain is whole.
func TestSIGKILLLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		storetest.OpenURL(t, url) // migrated before the child starts

		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+url)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		t.Cleanup(func() { cmd.Process.Kill() })

		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var acks []int64
		ack := func(line string) {
			if id, ok := strings.CutPrefix(line, "ack "); ok {
				n, err := strconv.ParseInt(id, 10, 64)
				must(t, err)
				acks = append(acks, n)
			}
		}
		// Let plenty of writes be acknowledged, then kill at a random moment
		// while the writers keep going.
		var killAt <-chan time.Time
		deadline := time.After(20 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("child ended early: %s", stderr.String())
				}
				ack(line)
				if len(acks) == 100 {
					killAt = time.After(time.Duration(10+rand.IntN(90)) * time.Millisecond)
				}
			case <-killAt:
				break read
			case <-deadline:
				break read
			}
		}
		must(t, cmd.Process.Signal(os.Kill))
		for line := range lines { // acks printed before the kill count too
			ack(line)
		}
		cmd.Wait()
		if len(acks) < 10 {
			t.Fatalf("only %d writes acknowledged before the kill; stderr: %s", len(acks), stderr.String())
		}

		s := storetest.OpenURL(t, url)
		for _, id := range acks {
			if _, err := s.Account(ctx, id); err != nil {
				t.Errorf("acknowledged account %d: %v", id, err)
			}
		}
		_, total, err := s.Accounts(ctx, store.AccountFilter{})
		must(t, err)
		checked, broken, err := audit.Verify(ctx, s)
		must(t, err)
		if broken != nil || checked != total {
			t.Fatalf("after the kill: %d events checked, broken %+v; want one per account (%d)", checked, broken, total)
		}
		t.Logf("%s: %d writes acknowledged, %d committed, chain of %d intact", dialect, len(acks), total, checked)
	})
}
