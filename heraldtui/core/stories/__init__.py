"""Grouping articles into stories: one story per real-world event.

Local news is small, so two articles from two outlets are enough to make a story, and a
wrong merge is as visible as a missed one. The method is deliberately rule-based and
explainable: each article is read once into its features, every link is a pure function
of two articles' features, and links are merged into stories under a few constraints.
That is what makes incremental grouping give exactly the same result as grouping
everything at once.

The modules, in the order the data flows (each imports only those before it):

- `listing`: grouping's time axis (`epoch_day`) and stored stories listed newest first
  (`assemble`, `newest_stories`), with no text read and nothing else of grouping imported;
- `vocabulary`: the word lists and vocabulary regexes grouping reads by (to join the
  shared lexicon in `heraldtui.core.read`);
- `reading`: an article's paragraphs, words and links, read once (`read`), where every
  reading of it starts;
- `features`: what is read of each article (`featurize`): force, topic, dates, links,
  entities, content words, shingles, with the outlet's boilerplate dropped;
- `rules`: what makes two articles one story (`link_score`) and every threshold it uses
  (`WINDOW_DAYS`, ...);
- `headlines`: a story's kind, force and title from its articles (`build_story`);
- `grouper`: the clustering (`StoryGrouper`, `group_articles`, `story_id`,
  `article_day`): candidates, greedy merging, connected components, restore;
- `index`: the stories kept in the store, so a start-up regroups only what can change;
- `corrections`: the reader's fixes (split, move, merge), applied to every listing after
  the grouping, which stays the algorithm's.

Outside this package, `grouper`, `index`, `listing`, `corrections` and `rules.WINDOW_DAYS`
are used; the rest is internal. Nothing is imported here, so importing the package stays cheap.
"""
