# SeeOtherNote All (issue 10): the 303s of CGI scripts, mod_asis and
# proxied backends that carry a Location and no body get the note, and
# nothing else does.  Also SeeOtherNoteTemplate (.htaccess and a section),
# SeeOtherLegacyStatus and ErrorDocument 303.  t/conf/complete.conf.in.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestRequest;
use Apache::TestUtil;
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use SeeOther::Raw;

my $hp = Apache::TestRequest::hostport();

# the module's own wording (so_note.c)
sub esc {
    my ($s) = @_;
    my %e = ('&' => '&amp;', '<' => '&lt;', '>' => '&gt;', '"' => '&quot;',
             "'" => '&#39;');
    $s =~ s/([&<>"'])/$e{$1}/g;
    return $s;
}
sub unesc {
    my ($s) = @_;
    my %e = (amp => '&', lt => '<', gt => '>', quot => '"', '#39' => "'");
    $s =~ s/&(amp|lt|gt|quot|#39);/$e{$1}/g;
    return $s;
}
sub note {
    my $h = esc($_[0]);
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        . "<title>303 See Other</title></head>\n<body><h1>See Other</h1>\n"
        . "<p>The answer to this request is at <a href=\"$h\">$h</a>.</p>\n"
        . "</body></html>\n";
}
my $tpl_file = Apache::Test::vars('documentroot') . '/complete/tpl/note.html';
my $tpl = do { open my $fh, '<:raw', $tpl_file or die "$tpl_file: $!"; local $/; <$fh> };
sub tpl_note { my $h = esc($_[0]); (my $n = $tpl) =~ s/\{\{location\}\}/$h/g; $n }

# One request on its own connection: the response, and the raw bytes
# after the head (there must be none beyond the body).
sub raw {
    my ($method, $path, %opt) = @_;
    my $c = SeeOther::Raw->connect($opt{hostport} || $hp);
    my $head = $c->request_head($method, $path, Connection => 'close',
                                @{ $opt{fields} || [] });
    $head =~ s{ HTTP/1\.1\r\n}{ $opt{proto}\r\n} if $opt{proto};
    $c->send($head);
    my $r = $c->read_final($method);
    $r->{extra} = $c->leftover(1);
    $c->close;
    return $r;
}
sub without_date { (my $h = $_[0]{head}) =~ s/^Date: [^\r\n]*\r?\n//mi; $h }
sub without_framing {
    (my $h = without_date($_[0])) =~ s/^(?:Content-Length|Transfer-Encoding): [^\r\n]*\r?\n//mgi;
    return $h;
}

my @completed = (
    # [what, path under /complete/, the Location as sent]
    ['CGI, relative Location', 'rel.cgi', '/complete/target.txt'],
    ['CGI, absolute Location', 'abs.cgi', 'http://example.org/done?a=1&b=2'],
    ['.asis file', 'note.asis', 'http://example.org/asis'],
    ['proxied backend, Content-Length: 0', 'proxy/nph-cl0.cgi',
     '/complete/target.txt'],
    ['proxied backend, chunked empty body', 'proxy/nph-chunked.cgi',
     'http://example.org/chunked'],
    # (mod_lua runs no script for HEAD: it answers 200 itself, pinned below)
    ['mod_lua, headers flushed before the end', 'flush.lua',
     '/complete/flushed', 'no HEAD'],
);
# The answers of .asis files and static files are deterministic to the
# byte.  A CGI's body comes through a pipe: whether httpd sends it with a
# Content-Length or chunked depends on whether the script's output is
# already there when the first brigade passes (so it varies between two
# requests with the same configuration); for CGI and mod_lua the framing
# fields are left out of the comparison, everything else must be equal.
my @untouched = (
    # [what, path, status, body, framing varies]
    ['303 with its own body (.asis)', 'body.asis', 303, "my own body\n", 0],
    ['302 (.asis)', 'found.asis', 302, '', 0],
    ['200 from a handler (.asis)', 'ok.asis', 200, "hello\n", 0],
    ['303 without Location (.asis)', 'noloc.asis', 303, '', 0],
    ['static file', 'target.txt', 200, "the target\n", 0],
    ['303 with its own body (CGI)', 'body.cgi', 303, "my own body\n", 1],
    ['302 (CGI)', 'found.cgi', 302, '', 1],
    ['200 from a handler (CGI)', 'ok.cgi', 200, "hello\n", 1],
    ['303 without Location (CGI)', 'noloc.cgi', 303, '', 1],
    ['mod_lua 303 flushed, then its own body', 'flushbody.lua', 303,
     "own body after a flush\n", 1],
);

plan tests => 12 * @completed + 5 * @untouched + 7 + 4 + 4 + 6 + 4 + 3 + 4;

for my $case (@completed) {
    my ($what, $path, $loc) = @$case;
    my $r = raw('GET', "/complete/$path");
    my $want = note($loc);
    ok t_cmp($r->{status}, 303, "$what: 303");
    ok t_cmp(join('|', $r->header('Location')), $loc,
             "$what: one Location, byte for byte as sent");
    ok t_cmp($r->{body}, $want, "$what: the note");
    ok t_cmp(join('|', $r->header('Content-Length')), length($want),
             "$what: one Content-Length, the note's");
    ok t_cmp($r->header('Transfer-Encoding') // 'none', 'none',
             "$what: no Transfer-Encoding");
    ok t_cmp($r->header('Content-Type'), 'text/html; charset=utf-8',
             "$what: Content-Type");
    ok t_cmp($r->{extra}, '', "$what: nothing after the body");

    my $h = raw('HEAD', "/complete/$path");
    if ($case->[3]) {
        ok t_cmp($h->{status}, 200, "$what, HEAD: mod_lua's own 200");
        ok t_cmp($h->header('Location') // 'none', 'none',
                 "$what, HEAD: no Location, nothing completed");
    }
    else {
        ok t_cmp($h->{status}, 303, "$what, HEAD: 303");
        ok t_cmp(without_date($h), without_date($r),
                 "$what, HEAD: the GET's headers");
    }
    ok t_cmp($h->{extra}, '', "$what, HEAD: no body");

    my $on = raw('GET', "/complete-on/$path");
    ok t_cmp($on->{status}, 303, "$what, SeeOtherNote on: 303");
    ok t_cmp($on->{body}, '', "$what, SeeOtherNote on: untouched, no body");
}

for my $case (@untouched) {
    my ($what, $path, $status, $body, $varies) = @$case;
    my $head = $varies ? \&without_framing : \&without_date;
    my $all = raw('GET', "/complete/$path");
    my $on = raw('GET', "/complete-on/$path");
    ok t_cmp($all->{status}, $status, "$what: $status");
    ok t_cmp($all->{body}, $body, "$what: its own body");
    ok t_cmp($head->($all), $head->($on),
             "$what: the same head with All as with On");
    ok t_cmp($all->{body} . $all->{extra}, $on->{body} . $on->{extra},
             "$what: the same body bytes");
    my $h_all = raw('HEAD', "/complete/$path");
    my $h_on = raw('HEAD', "/complete-on/$path");
    ok t_cmp($head->($h_all), $head->($h_on),
             "$what, HEAD: the same head with All as with On");
}

# mod_deflate: the note is compressed for a client that accepts gzip
{
    my $r = raw('GET', '/complete/gz/rel.cgi',
                fields => ['Accept-Encoding' => 'gzip']);
    ok t_cmp($r->{status}, 303, 'deflate: 303');
    ok t_cmp($r->header('Content-Encoding'), 'gzip', 'deflate: gzip');
    my $plain;
    gunzip(\$r->{body} => \$plain) or die "gunzip: $GunzipError";
    ok t_cmp($plain, note('/complete/target.txt'), 'deflate: the note');
    ok t_cmp($r->header('Content-Length'), length($r->{body}),
             'deflate: Content-Length of the compressed note');
    my $p = raw('GET', '/complete/gz/rel.cgi');
    ok t_cmp($p->header('Content-Encoding') // 'none', 'none',
             'deflate, no Accept-Encoding: not compressed');
    ok t_cmp($p->{body}, note('/complete/target.txt'), '... the note');
    my $h = raw('HEAD', '/complete/gz/rel.cgi',
                fields => ['Accept-Encoding' => 'gzip']);
    ok t_cmp($h->{extra}, '', 'deflate, HEAD: no body');
}

# HTTP/2 (h2c)
{
    Apache::TestRequest::module('see_other_complete_h2');
    my $h2 = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    my $out = `curl -s --http2-prior-knowledge -D - --max-time 30 http://$h2/complete/rel.cgi 2>&1`;
    my $want = note('/complete/target.txt');
    ok t_cmp($out, qr{^HTTP/2 303 ?\r?$}m, 'h2c: 303');
    ok t_cmp($out, qr{^location: /complete/target\.txt\r?$}mi, 'h2c: Location');
    ok t_cmp($out, qr{^content-length: \Q${\ length $want}\E\r?$}mi,
             'h2c: Content-Length of the note');
    ok t_cmp(substr($out, -length $want), $want, 'h2c: the note');
}

# .htaccess: SeeOtherNote all there; the same script without it untouched
{
    my $r = raw('GET', '/complete-on/ht/rel.cgi');
    ok t_cmp($r->{status}, 303, '.htaccess All: 303');
    ok t_cmp($r->{body}, note('/complete/target.txt'), '.htaccess All: the note');
    ok t_cmp($r->header('Content-Length'), length note('/complete/target.txt'),
             '.htaccess All: Content-Length');
    ok t_cmp(raw('GET', '/complete-on/rel.cgi')->{body}, '',
             'without it: no body');
}

# SeeOtherNoteTemplate in .htaccess: two placeholders, non-ASCII text; a
# Location with & " < escaped in the note, giving back the header exactly
{
    my $loc = '/complete/x?a=1&b="q"&c=<t>';
    my $r = raw('GET', '/complete-on/tpl/esc.cgi');
    ok t_cmp($r->header('Location'), $loc, 'template: Location as sent');
    ok t_cmp($r->{body}, tpl_note($loc), 'template: the site\'s note');
    ok t_cmp($r->header('Content-Length'), length tpl_note($loc),
             'template: Content-Length in bytes');
    ok t_cmp($r->header('Content-Type'), 'text/html; charset=utf-8',
             'template: Content-Type');
    my @hrefs = $r->{body} =~ /href="([^"]*)"/g;
    ok t_cmp(scalar(@hrefs) == 1 && unesc($hrefs[0]), $loc,
             'template: the href unescapes to the Location');
    ok t_cmp($r->{body}, qr/\Q&amp;b=&quot;q&quot;&amp;c=&lt;t&gt;\E.*\Q&amp;b=&quot;q&quot;&amp;c=&lt;t&gt;\E/s,
             'template: both placeholders escaped');
}

# the module's own answers with a template
{
    my $loc = "http://$hp/note/a?x=1&y=2";
    my $r = raw('GET', '/note/tpl');
    ok t_cmp($r->{status}, 303, 'own rule with a template: 303');
    ok t_cmp($r->header('Location'), $loc, '... Location');
    ok t_cmp($r->{body}, tpl_note($loc), '... the template\'s note');
    ok t_cmp($r->header('Content-Length'), length tpl_note($loc),
             '... Content-Length');
}

# SeeOtherLegacyStatus 302: HTTP/1.0 gets 302; without it 303; HTTP/1.1 303
{
    my $r = raw('GET', '/note/legacy', proto => 'HTTP/1.0');
    ok t_cmp($r->{status}, 302, 'HTTP/1.0 with SeeOtherLegacyStatus 302: 302');
    $r = raw('GET', '/note/modern', proto => 'HTTP/1.0');
    ok t_cmp($r->{status}, 303, 'HTTP/1.0 without it: 303');
    $r = raw('GET', '/note/legacy');
    ok t_cmp($r->{status}, 303, 'HTTP/1.1 with it: 303');
}

# ErrorDocument 303: httpd answers with it, as for mod_alias's Redirect 303
{
    my $own = raw('GET', '/note/errdoc-string');
    my $alias = raw('GET', '/note/alias-string');
    ok t_cmp("$own->{status} $own->{body}", '303 Moved along.',
             'ErrorDocument 303 "string": its text');
    ok t_cmp("$own->{status} $own->{body}", "$alias->{status} $alias->{body}",
             '... as for Redirect 303');
    $own = raw('GET', '/note/errdoc-local');
    $alias = raw('GET', '/note/alias-local');
    ok t_cmp($own->{body}, "<p>ErrorDocument page</p>\n",
             'ErrorDocument 303 /local: that page');
    ok t_cmp("$own->{status} " . ($own->header('Location') // 'no Location'),
             "$alias->{status} " . ($alias->header('Location') // 'no Location'),
             '... status and Location as for Redirect 303');
}
