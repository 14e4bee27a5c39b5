# Linked Data publishing (issue 11): CORS preflights pass rules that do
# not name OPTIONS; mod_headers' headers on the 303s (which Header in which
# context); Link rel="alternate" lists; the format parameter; 406.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use FindBin;
use lib "$FindBin::Bin/lib";
use SeeOther::Raw;

local $Apache::TestRequest::RedirectOK = 0;
my $o = 'http://' . Apache::TestRequest::hostport();
Apache::TestRequest::module('see_other_ld');
my $vhp = Apache::TestRequest::hostport();
my $v = "http://$vhp";
Apache::TestRequest::module('default');

my @PRE = (Origin => 'https://app.example',
           'Access-Control-Request-Method' => 'GET',
           'Access-Control-Request-Headers' => 'x-requested-with');

# One line per answer: status [Location] | Vary | ACAO | Link.
sub answer {
    my ($res) = @_;
    my $line = $res->code;
    $line .= ' ' . $res->header('Location') if $res->code == 303;
    $line .= ' | Vary: ' . ($res->header('Vary') // '-');
    $line .= ' | ACAO: ' . ($res->header('Access-Control-Allow-Origin') // '-');
    $line .= ' | Link: ' . ($res->header('Link') // '-');
    return $line;
}

sub ask {
    my ($base, $method, $path, @headers) = @_;
    my $req = HTTP::Request->new($method => "$base$path");
    $req->push_header(@headers) if @headers;
    return Apache::TestRequest::user_agent()->request($req);
}

# Link entries, as the module writes them.
sub alt { my ($uri, $type) = @_; return qq{<$uri>; rel="alternate"; type="$type"} }
sub links { return join ', ', map { alt(@$_) } @_ }

my $NO = ' | Vary: - | ACAO: - | Link: -';
my $A  = ' | Vary: Accept';

my @cases = (
    # base, method, path, request headers, expected answer
    # -- CORS, server-level rules; Header at server level (expr=)
    [$o, OPTIONS => '/ld/cors/srv', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/srv', [Accept => 'text/turtle'],
        "303 $o/ld/out/srv.ttl$A | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/srv', [Accept => 'text/turtle', Origin => 'https://app.example'],
        "303 $o/ld/out/srv.ttl$A | ACAO: * | Link: -"],
    # OPTIONS without the preflight's headers is no preflight
    [$o, OPTIONS => '/ld/cors/srv', [Origin => 'https://app.example'],
        "303 $o/ld/out/srv.html$A | ACAO: * | Link: -"],
    [$o, OPTIONS => '/ld/cors/srv', ['Access-Control-Request-Method' => 'GET'],
        "303 $o/ld/out/srv.html$A | ACAO: * | Link: -"],
    # methods= naming OPTIONS: the rule answers the preflight too
    [$o, OPTIONS => '/ld/cors/srvopt', [@PRE],
        "303 $o/ld/out/srvopt | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/srvopt', [], "303 $o/ld/out/srvopt | Vary: - | ACAO: * | Link: -"],
    # methods= without OPTIONS: a plain OPTIONS is not answered either
    [$o, OPTIONS => '/ld/cors/srvget', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    # -- server-level rules, Header in <Location> (merged before them),
    # `Header set` (onsuccess) as well as `always`
    [$o, OPTIONS => '/ld/cors/loc', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/loc', [Accept => 'text/turtle'],
        "303 $o/ld/out/loc.ttl$A | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/loc', [Accept => 'image/png'],
        "303 $o/ld/out/loc-default$A | ACAO: * | Link: -"],
    # -- server-level rule, Header in <Directory>: the preflight (httpd's
    # answer) has it, the 303 (before the filesystem) has not
    [$o, OPTIONS => '/ld/cors/dir/term', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/dir/term', [], "303 $o/ld/out/dir$NO"],
    # -- rules and Header in <Location>
    [$o, OPTIONS => '/ld/cors/sec', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/cors/sec', [Accept => 'text/turtle'],
        "303 $o/ld/out/sec.ttl$A | ACAO: * | Link: -"],
    [$o, OPTIONS => '/ld/cors/secopt', [@PRE],
        "303 $o/ld/out/secopt | Vary: - | ACAO: * | Link: -"],
    # -- rules and Header in .htaccess (alternates on there)
    [$o, OPTIONS => '/ld/ht/term', [@PRE], "200 | Vary: - | ACAO: * | Link: -"],
    [$o, GET => '/ld/ht/term', [Accept => 'text/turtle'],
        "303 $o/ld/out/ht-term.ttl$A | ACAO: * | Link: "
        . links(["$o/ld/out/ht-term.html", 'text/html'],
                ["$o/ld/out/ht-term.ttl", 'text/turtle'])],
    [$o, OPTIONS => '/ld/ht/opt', [@PRE],
        "303 $o/ld/out/ht-opt | Vary: - | ACAO: * | Link: -"],

    # -- alternates (vhost): configuration order, relative target
    # resolved, ',' escaped, a parameter in the type; the POST-only rule
    # does not apply to GET; the chosen one included
    [$v, GET => '/ld/a', [Accept => 'text/turtle'],
        "303 $v/ld/out/a.ttl$A | ACAO: * | Link: "
        . links(["$v/ld/out/a.html", 'text/html'], ["$v/ld/out/a.ttl", 'text/turtle'],
                ['https://data.example.org/x%2Cy/a.rdf', 'application/rdf+xml'],
                ["$v/ld/out/a.lvl", 'text/plain;level=1'])],
    [$v, POST => '/ld/a', [Accept => 'text/turtle'],
        "303 $v/ld/out/a.ttl$A | ACAO: * | Link: "
        . links(["$v/ld/out/a.html", 'text/html'], ["$v/ld/out/a.ttl", 'text/turtle'],
                ['https://data.example.org/x%2Cy/a.rdf', 'application/rdf+xml'],
                ["$v/ld/out/a.lvl", 'text/plain;level=1'],
                ["$v/ld/out/a.post", 'application/n-triples'])],
    # the request's query goes to every target (query=inherit); ',' escaped
    [$v, GET => '/ld/a?x=1,2', [Accept => 'application/rdf+xml'],
        "303 https://data.example.org/x,y/a.rdf?x=1,2$A | ACAO: * | Link: "
        . links(["$v/ld/out/a.html?x=1%2C2", 'text/html'],
                ["$v/ld/out/a.ttl?x=1%2C2", 'text/turtle'],
                ['https://data.example.org/x%2Cy/a.rdf?x=1%2C2', 'application/rdf+xml'],
                ["$v/ld/out/a.lvl?x=1%2C2", 'text/plain;level=1'])],
    # a plain rule: no Link, no Vary
    [$v, GET => '/ld/plain', [], "303 $v/ld/out/plain | Vary: - | ACAO: * | Link: -"],
    # -- alternates in <Location>, and on fall-through (to a file)
    [$o, GET => '/ld/loc', [Accept => 'text/turtle'],
        "303 $o/ld/out/loc.ttl$A | ACAO: - | Link: "
        . links(["$o/ld/out/loc.html", 'text/html'], ["$o/ld/out/loc.ttl", 'text/turtle'],
                ['https://data.example.org/a%2Cb/loc.rdf', 'application/rdf+xml'])],
    [$o, GET => '/ld/loc/file.txt', [Accept => 'image/png'],
        "200$A | ACAO: - | Link: "
        . links(["$o/ld/out/loc.html", 'text/html'], ["$o/ld/loc/out/loc.ttl", 'text/turtle'],
                ['https://data.example.org/a%2Cb/loc.rdf', 'application/rdf+xml'])],
    [$o, GET => '/ld/loc/none', [Accept => 'image/png'],
        "404$A | ACAO: - | Link: "
        . links(["$o/ld/out/loc.html", 'text/html'], ["$o/ld/loc/out/loc.ttl", 'text/turtle'],
                ['https://data.example.org/a%2Cb/loc.rdf', 'application/rdf+xml'])],

    # -- the format parameter (vhost: format): a short name, a type,
    # percent-encoded, an unknown value; the parameter decides over Accept
    # and leaves no Vary; it is removed from the query passed on
    [$v, GET => '/ld/f?format=ttl', [Accept => 'text/html'],
        "303 $v/ld/out/f.ttl?src=ld | Vary: - | ACAO: * | Link: " . f_links('')],
    [$v, GET => '/ld/f?a=1&format=text/turtle&b=2', [],
        "303 $v/ld/out/f.ttl?src=ld&a=1&b=2 | Vary: - | ACAO: * | Link: " . f_links('a=1&b=2')],
    [$v, GET => '/ld/f?format=rdf&x=1', [Accept => 'text/turtle'],
        "303 $v/ld/out/f.rdf?x=1 | Vary: - | ACAO: * | Link: " . f_links('x=1')],
    [$v, GET => '/ld/f?x=1&format=application%2Fld%2Bjson', [],
        "303 $v/ld/out/f.jsonld | Vary: - | ACAO: * | Link: " . f_links('x=1')],
    [$v, GET => '/ld/f?format=JSONLD', [],
        "303 $v/ld/out/f.jsonld | Vary: - | ACAO: * | Link: " . f_links('')],
    [$v, GET => '/ld/f?format=bogus&x=1', [Accept => 'text/turtle'],
        "303 $v/ld/out/f-default?x=1 | Vary: - | ACAO: * | Link: " . f_links('x=1')],
    # repeated: the first decides, all are removed
    [$v, GET => '/ld/f?format=rdf&format=ttl&y', [],
        "303 $v/ld/out/f.rdf?y | Vary: - | ACAO: * | Link: " . f_links('y')],
    # other names are left alone; without the parameter, Accept decides
    [$v, GET => '/ld/f?formats=ttl', [Accept => 'text/turtle'],
        "303 $v/ld/out/f.ttl?src=ld&formats=ttl$A | ACAO: * | Link: " . f_links('formats=ttl')],
    # unknown value, no default: 406 (vhost), without Vary
    [$v, GET => '/ld/n/abc?format=pdf', [],
        "406 | Vary: - | ACAO: * | Link: " . n_links('abc')],
    [$v, GET => '/ld/n/abc?format=html', [],
        "303 $v/ld/out/n/abc.html | Vary: - | ACAO: * | Link: " . n_links('abc')],
    # in <Location>, _mediatype; unknown falls through (406 is off there)
    [$o, GET => '/ld/mt?_mediatype=text/turtle', [Accept => 'text/html'],
        "303 $o/ld/out/mt.ttl$NO"],
    [$o, GET => '/ld/mt?_mediatype=nt&q=1', [Accept => 'text/html'], "404$NO"],
    [$o, GET => '/ld/mt?q=1&_mediatype=html', [Accept => 'text/turtle'],
        "303 $o/ld/out/mt.html?q=1$NO"],
    [$o, GET => '/ld/mt?format=ttl', [Accept => 'text/html'],
        "303 $o/ld/out/mt.html?format=ttl$A | ACAO: - | Link: -"],

    # -- 406 (vhost: with alternates); HEAD of a 406
    [$v, GET => '/ld/n/abc', [Accept => 'image/png'],
        "406$A | ACAO: * | Link: " . n_links('abc')],
    [$v, HEAD => '/ld/n/abc', [Accept => 'image/png'],
        "406$A | ACAO: * | Link: " . n_links('abc')],
    [$v, GET => '/ld/n/abc', [Accept => 'text/turtle, */*;q=0.1'],
        "303 $v/ld/out/n/abc.ttl$A | ACAO: * | Link: " . n_links('abc')],
    # a group whose typed rules do not apply at all is not negotiated
    # -- 406 in <Location>, no alternates
    [$o, GET => '/ld/na', [Accept => 'application/rdf+xml'], "406$A | ACAO: - | Link: -"],
    [$o, HEAD => '/ld/na', [Accept => 'application/rdf+xml'], "406$A | ACAO: - | Link: -"],
    [$o, GET => '/ld/na', [Accept => 'text/turtle'],
        "303 $o/ld/out/na&amp;.ttl$A | ACAO: - | Link: -"],
);

sub f_links {
    my ($q) = @_;
    my $s = $q eq '' ? '' : "?$q";
    my $m = $q eq '' ? '' : "&$q";
    return links(["$v/ld/out/f.html$s", 'text/html'],
                 ["$v/ld/out/f.ttl?src=ld$m", 'text/turtle'],
                 ["$v/ld/out/f.rdf$s", 'application/rdf+xml'],
                 ["$v/ld/out/f.jsonld", 'application/ld+json']);
}

sub n_links {
    my ($w) = @_;
    return links(["$v/ld/out/n/$w.html", 'text/html'],
                 ["$v/ld/out/n/$w.ttl", 'text/turtle']);
}

plan tests => @cases + 18 + 24;

for my $c (@cases) {
    my ($base, $method, $path, $headers, $want) = @$c;
    my %h = @$headers;
    my $shown = join ', ', map { "$_: $h{$_}" } sort keys %h;
    ok t_cmp(answer(ask($base, $method, $path, @$headers)), $want,
             "$method $base$path ($shown)");
}

# A thread keeps the lists of variants it wrote (for origin and texts):
# the same group asked again under other host names, with and without a
# query, and with the note, gives each time what it gave the first time.
{
    my ($port) = $o =~ /:(\d+)$/;
    for my $round (1 .. 2) {
        for my $host ("localhost:$port", "127.0.0.1:$port", "other.example:$port") {
            for my $query ('', '?q=1') {
                my $res = ask($o, GET => "/ld/ht/term$query",
                              Accept => 'text/turtle', Host => $host);
                my $b = "http://$host";
                ok t_cmp($res->header('Link'),
                         links(["$b/ld/out/ht-term.html$query", 'text/html'],
                               ["$b/ld/out/ht-term.ttl$query", 'text/turtle']),
                         "round $round: Link for Host $host$query");
                ok t_cmp($res->content =~ m{<li><a href="\Q$b\E/ld/out/ht-term\.html\Q$query\E">} ? 1 : 0,
                         1, "round $round: the note's list for Host $host$query");
            }
        }
    }
}

# The 406's body: httpd's page with the variants, each a link and its type.
{
    my $res = ask($v, GET => '/ld/n/xyz', Accept => 'image/png');
    my $body = $res->content;
    ok t_cmp($res->header('Content-Type'), qr{^text/html}, '406: HTML');
    ok t_cmp($body,
             qr{<ul>\n<li><a href="\Q$v\E/ld/out/n/xyz\.html">\Q$v\E/ld/out/n/xyz\.html</a> \(text/html\)</li>\n<li><a href="\Q$v\E/ld/out/n/xyz\.ttl">\Q$v\E/ld/out/n/xyz\.ttl</a> \(text/turtle\)</li>\n</ul>},
             '406: the variants, in configuration order');
    $res = ask($o, GET => '/ld/na', Accept => 'image/png');
    ok t_cmp($res->content, qr{<li><a href="\Q$o\E/ld/out/na&amp;amp;\.ttl">},
             '406 without alternates: the list, HTML-escaped');
}

# The 303's note lists the alternates when they are on, and not when off.
{
    my $res = ask($v, GET => '/ld/a', Accept => 'text/turtle');
    ok t_cmp($res->content,
             qr{<p>Variants:</p>\n<ul>\n<li><a href="\Q$v\E/ld/out/a\.html">[^\n]*\(text/html\)</li>\n<li>[^\n]*a\.ttl[^\n]*\n<li><a href="https://data\.example\.org/x,y/a\.rdf">[^\n]*\n<li>[^\n]*\(text/plain;level=1\)</li>\n</ul>\n</body>},
             'note: the variants before </body>');
    $res = ask($o, GET => '/ld/cors/srv', Accept => 'text/turtle');
    ok t_cmp($res->content !~ /Variants/, 1, 'note: no list when off');
}

# mod_headers on the 406 (an error answer): `always` only; on the 303 both.
{
    my $res = ask($o, GET => '/ld/na', Accept => 'image/png');
    ok t_cmp(join(' ', $res->code, $res->header('X-LD-Always') // '-',
                  $res->header('X-LD-Onsuccess') // '-'),
             '406 yes -', '406: Header always set applies, Header set not');
    $res = ask($o, GET => '/ld/na', Accept => 'text/html');
    ok t_cmp(join(' ', $res->code, $res->header('X-LD-Always') // '-',
                  $res->header('X-LD-Onsuccess') // '-'),
             '303 yes yes', '303: both Header forms apply');
    ok t_cmp($res->header('Location'), "$o/ld/out/na.html", '303: Location');
    $res = ask($o, OPTIONS => '/ld/na', @PRE);
    ok t_cmp($res->code, 200, 'preflight to a 406 group: httpd answers');
}

# ErrorDocument 406 replaces the body; Vary and Link stay.
{
    my $res = ask($o, GET => '/ld/ed', Accept => 'image/png');
    ok t_cmp(join(' | ', $res->code, $res->content, answer($res)),
             "406 | no such format here | 406$A | ACAO: - | Link: "
             . links(["$o/ld/out/ed.ttl", 'text/turtle']),
             'ErrorDocument 406');
}

# ErrorDocument 303: httpd's error path answers; Vary and Link stay.
{
    my $res = ask($o, GET => '/ld/ed303', Accept => 'text/turtle');
    ok t_cmp(join(' | ', $res->content, answer($res)),
             "see the other | 303 $o/ld/out/ed303.ttl$A | ACAO: - | Link: "
             . links(["$o/ld/out/ed303.html", 'text/html'],
                     ["$o/ld/out/ed303.ttl", 'text/turtle']),
             'ErrorDocument 303');
}

# HEAD of a 406 on the wire: headers, no body.
{
    my $c = SeeOther::Raw->connect($vhp);
    $c->send($c->request_head(HEAD => '/ld/n/abc', Accept => 'image/png'));
    my $r = $c->read_final('HEAD');
    ok t_cmp($r->{status}, 406, 'raw HEAD: 406');
    ok t_cmp($c->leftover, '', 'raw HEAD: no body bytes');
}

# '<', '>', ',' and '"' in the request's query: escaped in every entry.
{
    my $c = SeeOther::Raw->connect($vhp);
    $c->send($c->request_head(GET => '/ld/a?q=<b>,"c"', Accept => 'text/turtle',
                              Connection => 'close'));
    my $r = $c->read_final('GET');
    ok t_cmp($r->{status}, 303, 'raw query: 303');
    ok t_cmp($r->header('Location'), "$v/ld/out/a.ttl?q=%3Cb%3E,%22c%22",
             'raw query: Location');
    my $q = '?q=%3Cb%3E%2C%22c%22';
    ok t_cmp($r->header('Link'),
             links(["$v/ld/out/a.html$q", 'text/html'], ["$v/ld/out/a.ttl$q", 'text/turtle'],
                   ["https://data.example.org/x%2Cy/a.rdf$q", 'application/rdf+xml'],
                   ["$v/ld/out/a.lvl$q", 'text/plain;level=1']),
             'raw query: Link entries escaped');
}

# A preflight's answer comes from httpd: the rule is not in the log.
{
    my $res = ask($o, OPTIONS => '/ld/cors/sec', @PRE);
    ok t_cmp($res->header('Allow') // '-', qr/OPTIONS/, 'preflight: httpd\'s OPTIONS answer');
    ok t_cmp($res->header('Location') // '-', '-', 'preflight: no Location');
}
