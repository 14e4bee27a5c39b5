# Namespaces of the w3id.org kind, each owner's rules in a .htaccess of its
# own (t/htdocs/w3id/*/.htaccess, one in a <Location>): every typical client
# lands where the owner meant, and every negotiated answer says
# Vary: Accept.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;

local $Apache::TestRequest::RedirectOK = 0;

# The clients, by what they send.
my %accept = (
    chromium => 'text/html,application/xhtml+xml,application/xml;q=0.9,'
              . 'image/avif,image/webp,image/apng,*/*;q=0.8,'
              . 'application/signed-exchange;v=b3;q=0.7',
    firefox  => 'text/html,application/xhtml+xml,application/xml;q=0.9,'
              . '*/*;q=0.8',
    turtle   => 'text/turtle',                    # curl -H 'Accept: text/turtle'
    curl     => '*/*',                            # curl's default
    rdflib   => 'application/rdf+xml, text/turtle;q=0.9, '
              . 'application/n-triples;q=0.8, */*;q=0.1',
    jsonld   => 'application/ld+json',
);
my @clients = qw(chromium firefox turtle curl rdflib jsonld);

# Each row: an identifier and, per client, where it lands.  A browser is
# both browsers; a URL means 303 there with Vary: Accept; other answers are
# written out.  Extra clients are given by their Accept header.
my $NEG = ' | Vary: Accept';
my $PLAIN = ' | Vary: -';
my @rows = (
    # geo: <Location>, one-argument rules, hash vocabulary
    ['/w3id/geo', browser => 'https://geo.example.org/docs/',
                  turtle  => 'https://geo.example.org/geo.ttl',
                  curl    => 'https://geo.example.org/docs/',
                  rdflib  => 'https://geo.example.org/geo.rdf',
                  jsonld  => 'https://geo.example.org/geo.jsonld'],

    # onto: ontology and terms, five formats elsewhere
    ['/w3id/onto/', browser => 'https://docs.example.org/onto/',
                    turtle  => 'https://docs.example.org/onto/onto.ttl',
                    curl    => 'https://docs.example.org/onto/',
                    rdflib  => 'https://docs.example.org/onto/onto.owl',
                    jsonld  => 'https://docs.example.org/onto/onto.jsonld',
                    'application/n-triples'
                            => 'https://docs.example.org/onto/onto.nt'],
    ['/w3id/onto/Sensor',
                    browser => 'https://docs.example.org/onto/',
                    turtle  => 'https://docs.example.org/onto/onto.ttl',
                    curl    => 'https://docs.example.org/onto/',
                    rdflib  => 'https://docs.example.org/onto/onto.owl',
                    jsonld  => 'https://docs.example.org/onto/onto.jsonld'],
    # the ontology IRI as usually written: the directory without a slash
    # (needs DirectorySlash Off, see w3id.conf.in)
    ['/w3id/onto',  turtle  => 'https://docs.example.org/onto/onto.ttl',
                    browser => 'https://docs.example.org/onto/'],

    # vocab: one page with #Term for people, the file for programs
    ['/w3id/vocab/Person',
                    browser => 'https://vocab.example.net/spec/#Person',
                    turtle  => 'https://vocab.example.net/spec/vocab.ttl',
                    curl    => 'https://vocab.example.net/spec/#Person',
                    rdflib  => 'https://vocab.example.net/spec/vocab.rdf',
                    jsonld  => 'https://vocab.example.net/spec/#Person'],
    ['/w3id/vocab/',
                    browser => 'https://vocab.example.net/spec/',
                    turtle  => 'https://vocab.example.net/spec/vocab.ttl',
                    curl    => 'https://vocab.example.net/spec/',
                    rdflib  => 'https://vocab.example.net/spec/vocab.rdf',
                    jsonld  => 'https://vocab.example.net/spec/'],
    ['/w3id/vocab/Person/x', curl => "404$PLAIN"],

    # plan: versions
    ['/w3id/plan/1.0',
                    browser => 'https://plan.example.com/releases/1.0/',
                    turtle  => 'https://plan.example.com/releases/1.0/plan.ttl',
                    curl    => 'https://plan.example.com/releases/1.0/',
                    rdflib  => 'https://plan.example.com/releases/1.0/plan.rdf',
                    jsonld  => 'https://plan.example.com/releases/1.0/'],
    ['/w3id/plan/1.0/', turtle => 'https://plan.example.com/releases/1.0/plan.ttl'],
    ['/w3id/plan/',
                    browser => 'https://plan.example.com/releases/2.0/',
                    turtle  => 'https://plan.example.com/releases/2.0/plan.ttl',
                    curl    => 'https://plan.example.com/releases/2.0/',
                    rdflib  => 'https://plan.example.com/releases/2.0/plan.rdf',
                    jsonld  => 'https://plan.example.com/releases/2.0/'],
    ['/w3id/plan/Step',
                    browser => 'https://plan.example.com/releases/2.0/#Step',
                    turtle  => 'https://plan.example.com/releases/2.0/plan.ttl',
                    curl    => 'https://plan.example.com/releases/2.0/#Step',
                    rdflib  => 'https://plan.example.com/releases/2.0/plan.rdf',
                    jsonld  => 'https://plan.example.com/releases/2.0/#Step'],

    # codes: only Turtle typed, a default for clients that refuse it
    ['/w3id/codes/colours',
                    browser => 'https://codes.example.org/lists/colours.ttl',
                    turtle  => 'https://codes.example.org/lists/colours.ttl',
                    curl    => 'https://codes.example.org/lists/colours.ttl',
                    rdflib  => 'https://codes.example.org/lists/colours.ttl',
                    jsonld  => 'https://codes.example.org/about/colours',
                    'text/html'
                            => 'https://codes.example.org/about/colours'],

    # data: captures, a JSON-LD API with a query
    ['/w3id/data/birds/42',
                    browser => 'https://data.example.org/birds/record/42.html',
                    turtle  => 'https://data.example.org/birds/record/42.ttl',
                    curl    => 'https://data.example.org/birds/record/42.html',
                    rdflib  => 'https://data.example.org/birds/record/42.ttl',
                    jsonld  => 'https://data.example.org/api?set=birds&id=42'],
    ['/w3id/data/birds/x42', curl => "404$PLAIN"],

    # id: exact identifiers, with and without a default
    ['/w3id/id/alice',
                    browser => 'https://people.example.org/alice',
                    turtle  => 'https://people.example.org/alice.ttl',
                    curl    => 'https://people.example.org/alice',
                    rdflib  => 'https://people.example.org/alice.ttl',
                    jsonld  => 'https://people.example.org/alice.jsonld',
                    'image/png' => "404$NEG"],
    ['/w3id/id/bob',
                    browser => 'https://people.example.org/bob',
                    turtle  => 'https://people.example.org/bob.ttl',
                    curl    => 'https://people.example.org/bob',
                    rdflib  => 'https://people.example.org/bob.ttl',
                    jsonld  => 'https://people.example.org/bob'],
    ['/w3id/id/alice/photo', turtle => "404$PLAIN"],

    # ctx: a JSON-LD context
    ['/w3id/ctx/v1',
                    browser => 'https://ctx.example.com/v1/',
                    turtle  => 'https://ctx.example.com/v1/context.jsonld',
                    curl    => 'https://ctx.example.com/v1/context.jsonld',
                    rdflib  => 'https://ctx.example.com/v1/context.jsonld',
                    jsonld  => 'https://ctx.example.com/v1/context.jsonld',
                    'application/json'
                            => 'https://ctx.example.com/v1/context.jsonld'],

    # hashns: W3C-recipe hash vocabulary, RDF/XML by default
    ['/w3id/hashns/core',
                    browser => 'https://hash.example.org/core-content/2024-05-01.html',
                    turtle  => 'https://hash.example.org/core-content/2024-05-01.rdf',
                    curl    => 'https://hash.example.org/core-content/2024-05-01.rdf',
                    rdflib  => 'https://hash.example.org/core-content/2024-05-01.rdf',
                    jsonld  => 'https://hash.example.org/core-content/2024-05-01.rdf'],

    # api: format in the target's query; ?format= skips negotiation
    ['/w3id/api/r1',
                    browser => 'https://api.example.org/records/r1?format=html',
                    turtle  => 'https://api.example.org/records/r1?format=turtle',
                    curl    => 'https://api.example.org/records/r1?format=html',
                    rdflib  => 'https://api.example.org/records/r1?format=turtle',
                    jsonld  => 'https://api.example.org/records/r1?format=jsonld'],
    ['/w3id/api/r1?utm=feed',
                    browser => 'https://api.example.org/records/r1?format=html'],
    ['/w3id/api/r1?format=ntriples',
                    turtle  => '303 https://api.example.org/records/r1?format=ntriples'
                               . $PLAIN,
                    browser => '303 https://api.example.org/records/r1?format=ntriples'
                               . $PLAIN],

    # legacy: old media types, no JSON-LD and no default
    ['/w3id/legacy/anything',
                    browser => 'https://old.example.edu/legacy/index.html',
                    turtle  => 'https://old.example.edu/legacy/legacy.n3',
                    curl    => 'https://old.example.edu/legacy/index.html',
                    rdflib  => 'https://old.example.edu/legacy/legacy.rdf',
                    jsonld  => "404$NEG",
                    'text/plain'      => 'https://old.example.edu/legacy/legacy.nt',
                    'application/xml' => 'https://old.example.edu/legacy/legacy.rdf',
                    'text/n3'         => 'https://old.example.edu/legacy/legacy.n3'],

    # org/team: a nested namespace falling through to its parent's rule
    ['/w3id/org/team/terms',
                    browser => 'https://team.example.org/terms.html',
                    turtle  => 'https://team.example.org/terms.ttl',
                    curl    => 'https://team.example.org/terms.html',
                    rdflib  => 'https://team.example.org/terms.ttl',
                    jsonld  => 'https://team.example.org/terms.jsonld',
                    'image/png' => 'https://www.example.org/w3id/team/terms'],
    ['/w3id/org/team/members',
            curl => '303 https://www.example.org/w3id/team/members' . $PLAIN],
    ['/w3id/org/about',
            browser => '303 https://www.example.org/w3id/about' . $PLAIN],
);

# Expand to one case per identifier and client.
my @cases;
for my $row (@rows) {
    my ($path, @want) = @$row;
    while (my ($client, $want) = splice @want, 0, 2) {
        $want = "303 $want$NEG" if $want =~ m{^https?://};
        for my $c ($client eq 'browser' ? qw(chromium firefox) : $client) {
            push @cases, [$path, $c, $accept{$c} // $c, $want];
        }
    }
}

plan tests => scalar @cases;

for my $c (@cases) {
    my ($path, $client, $accept, $want) = @$c;
    my $res = GET $path, Accept => $accept;
    my $got = ($res->code == 303 ? '303 ' . $res->header('Location')
                                 : $res->code)
        . ' | Vary: ' . ($res->header('Vary') // '-');
    ok t_cmp($got, $want, "$path as $client");
}
