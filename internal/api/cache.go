package api

import (
	"container/list"
	"sync"
)

// answerCache keeps recent answers by question and data version, so that
// dashboards asking the same question again get it without asking
// ClickHouse. An answer is only reused while the data version it was
// computed at is current, so it is always the exact answer.
type answerCache struct {
	mu      sync.Mutex
	max     int
	maxSize int // bytes per answer
	order   *list.List
	byKey   map[string]*list.Element
}

type cached struct {
	key string
	answer
}

func newAnswerCache(entries, maxSize int) *answerCache {
	return &answerCache{max: entries, maxSize: maxSize, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *answerCache) get(key string) (answer, bool) {
	if c == nil || c.max <= 0 {
		return answer{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return answer{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(cached).answer, true
}

func (c *answerCache) put(key string, a answer) {
	if c == nil || c.max <= 0 || len(a.body) > c.maxSize {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value = cached{key, a}
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(cached{key, a})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(cached).key)
	}
}
