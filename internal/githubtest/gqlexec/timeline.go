package gqlexec

// Timelines. ghdata records comments, reviews, merges and closes, so the
// timeline item types ISSUE_COMMENT, PULL_REQUEST_REVIEW, MERGED_EVENT and
// CLOSED_EVENT have items; any other item type gives none. Items at the
// same instant come in the order comment, review, merged, closed (GitHub
// shows a merge before the close it causes).

// titem is one timeline item with its position and item type.
type titem struct {
	k   ckey
	typ string // the ...TimelineItemsItemType value
	v   any
}

func pullTimeline(x *run, o *pullObj, a args) (any, error) {
	var items []titem
	url := o.url()
	for _, c := range commentIndex(x, o.r)[o.p.Number] {
		items = append(items, titem{ckey{N: c.CreatedAt.UnixNano(), S: "0", ID: c.ID}, "ISSUE_COMMENT", &commentObj{url, c}})
	}
	for _, rv := range o.p.Reviews {
		items = append(items, titem{ckey{N: rv.SubmittedAt.UnixNano(), S: "1", ID: rv.ID}, "PULL_REQUEST_REVIEW", &reviewObj{o, rv}})
	}
	if o.p.Merged() {
		e := &event{typ: "MergedEvent", parent: url, id: o.p.ID, at: o.p.MergedAt, actor: o.p.ClosedBy, ref: o.r.DefaultBranch}
		items = append(items, titem{ckey{N: e.at.UnixNano(), S: "2", ID: o.p.ID}, "MERGED_EVENT", e})
	}
	if !o.p.ClosedAt.IsZero() {
		e := &event{typ: "ClosedEvent", parent: url, id: o.p.ID, at: o.p.ClosedAt, actor: o.p.ClosedBy}
		items = append(items, titem{ckey{N: e.at.UnixNano(), S: "3", ID: o.p.ID}, "CLOSED_EVENT", e})
	}
	return timeline(a, "PullRequestTimelineItemsConnection", items)
}

func issueTimeline(x *run, o *issueObj, a args) (any, error) {
	var items []titem
	url := o.url()
	for _, c := range commentIndex(x, o.r)[o.is.Number] {
		items = append(items, titem{ckey{N: c.CreatedAt.UnixNano(), S: "0", ID: c.ID}, "ISSUE_COMMENT", &commentObj{url, c}})
	}
	if !o.is.ClosedAt.IsZero() {
		e := &event{typ: "ClosedEvent", parent: url, id: o.is.ID, at: o.is.ClosedAt, actor: o.is.ClosedBy, reason: o.is.StateReason}
		items = append(items, titem{ckey{N: e.at.UnixNano(), S: "3", ID: o.is.ID}, "CLOSED_EVENT", e})
	}
	return timeline(a, "IssueTimelineItemsConnection", items)
}

// timeline filters items by itemTypes and since and pages through them.
func timeline(a args, typ string, items []titem) (any, error) {
	if err := a.unsupported("timelineItems", "skip"); err != nil {
		return nil, err
	}
	types := wanted(a.strs("itemTypes"))
	since, hasSince, err := timeArg(a.m["since"], "since")
	if err != nil {
		return nil, err
	}
	kept := items[:0]
	for _, it := range items {
		if (types == nil || types[it.typ]) && (!hasSince || it.k.N >= since.UnixNano()) {
			kept = append(kept, it)
		}
	}
	return paginate(a, "timelineItems", typ, kept, func(it titem) ckey { return it.k }, false,
		func(it titem) any { return it.v })
}
