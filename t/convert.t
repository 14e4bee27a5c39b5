# see-other-convert without a server: one case per construct (input, options,
# the exact output and summary), the command line, and golden files: every
# file of t/convert/SETS against its t/convert/ENTRY.converted.
# CONVERT_WRITE=1 rewrites the golden files from the current output.
use strict;
use warnings FATAL => 'all';

use Test::More;
use File::Temp qw(tempdir);
use FindBin;

my $top = "$FindBin::Bin/..";
$top =~ s{/t/\.\.$}{};
my $script = "$top/see-other-convert";
my $dir = tempdir(CLEANUP => 1);

# Runs the converter on $input; returns (stdout, stderr, exit status).
sub run_conv {
    my ($input, @opt) = @_;
    my $in = "$dir/in.htaccess";
    open my $fh, '>:raw', $in or die $!;
    print {$fh} $input;
    close $fh;
    my $out = `$^X $script @opt $in 2>$dir/err`;
    my $rc = $? >> 8;
    open my $e, '<', "$dir/err" or die $!;
    local $/;
    my $err = <$e>;
    return ($out, $err, $rc);
}

# The cases: name, options, input, expected output (and optionally a
# regex the summary must match).
my @cases = (
    ['Redirect 303 and seeother, RedirectMatch; 302 left alone', '--no-htaccess',
     "# moved\nRedirect 303 /old http://example.org/new\nRedirect seeother /a/ http://example.org/b/\n"
     . "Redirect 302 /p http://example.org/q\nRedirectMatch 303 ^/item/([0-9]+)\$ /items/\$1\n",
     "# moved\nSeeOther /old http://example.org/new\nSeeOther /a/ http://example.org/b/\n"
     . "Redirect 302 /p http://example.org/q\nSeeOtherMatch ^/item/([0-9]+)\$ /items/\$1\n",
     qr/4 rules read; 3 are 303 redirects: 3 converted, 0 kept;.* 1 other rules left/],
    ['Redirect whose slashes differ is kept, with the reason', '--no-htaccess',
     "Redirect 303 /a/ http://example.org/b\n",
     "# see-other-convert: kept: URL-path and target differ in a trailing slash\n"
     . "Redirect 303 /a/ http://example.org/b\n",
     qr/kept +1 +URL-path and target differ in a trailing slash/],
    ['RedirectMatch with a fragment: query=drop', '--no-htaccess',
     "RedirectMatch 303 ^/t/(.*)\$ /doc#\$1\n",
     "SeeOtherMatch ^/t/(.*)\$ /doc#\$1 query=drop\n"],
    ['^$ and a literal become SeeOther ... exact under the directory', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^\$ https://e.org/doc [R=303,L]\nRewriteRule ^a/b\\.ttl\$ https://e.org/b [R=seeother,L]\n",
     "RewriteEngine on\nSeeOther /ns/ https://e.org/doc exact\nSeeOther /ns/a/b.ttl https://e.org/b exact\n"],
    ['a $N the pattern does not have is empty, as in mod_rewrite', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^id/(\\w+)\$ https://e.org/\$1\$2 [R=303,L]\nRewriteRule ^x\$ https://e.org/x\$1 [R=303,L]\n",
     "RewriteEngine on\nSeeOtherMatch ^/ns/id/(\\w+)\$ https://e.org/\$1\nSeeOther /ns/x https://e.org/x exact\n"],
    ['NC: a regex with nocase', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^onto\$ https://e.org/o [R=303,L,NC]\n",
     "RewriteEngine on\nSeeOtherMatch ^/ns/onto\$ https://e.org/o nocase\n"],
    ['captures; NE keeps #, and the hidden query goes', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^t/([a-z]+)\$ https://e.org/doc#\$1 [R=303,NE,L]\n",
     "RewriteEngine on\nSeeOtherMatch ^/ns/t/([a-z]+)\$ https://e.org/doc#\$1 query=drop\n"],
    ['without NE, mod_rewrite escapes #', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^h\$ https://e.org/doc#top [R=303,L]\n",
     "RewriteEngine on\nSeeOther /ns/h https://e.org/doc%23top exact\n"],
    ['QSA, QSD, an empty query', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^a\$ /s?v=1 [R=303,L,QSA]\nRewriteRule ^b\$ /s [R=303,L,QSD]\n"
     . "RewriteRule ^c\$ /s? [R=303,L]\nRewriteRule ^d\$ /s?v=2 [R=303,L]\n",
     "RewriteEngine on\nSeeOther /ns/a /s?v=1 exact query=merge\nSeeOther /ns/b /s exact query=drop\n"
     . "SeeOther /ns/c /s exact query=drop\nSeeOther /ns/d /s?v=2 exact\n"],
    ['a relative substitution takes RewriteBase', '--base /ns/',
     "RewriteEngine on\nRewriteBase /ns/\nRewriteRule ^p\$ other.html [R=303,L]\n",
     "RewriteEngine on\nRewriteBase /ns/\nSeeOther /ns/p /ns/other.html exact\n"],
    ['RewriteBase as the directory, with a note', '',
     "RewriteEngine on\nRewriteBase /d/\nRewriteRule ^x\$ /y [R=303,L]\n",
     "RewriteEngine on\nRewriteBase /d/\nSeeOther /d/x /y exact\n",
     qr/note: directory URL-path taken from RewriteBase \(\/d\/\)/],
    ['no directory known: kept', '--htaccess',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: directory URL-path unknown (give --base or --root)\n"
     . "RewriteRule ^x\$ /y [R=303,L]\n"],
    ['server configuration: whole paths already', '--no-htaccess',
     "RewriteEngine on\nRewriteRule ^/old/(.*)\$ /new/\$1 [R=303,L]\n",
     "RewriteEngine on\nSeeOtherMatch ^/old/(.*)\$ /new/\$1\n"],
    ['RewriteEngine not on: kept', '--base /ns/',
     "RewriteRule ^x\$ /y [R=303,L]\n",
     "# see-other-convert: kept: RewriteEngine is not on (in this file or, with --root, a parent directory)\nRewriteRule ^x\$ /y [R=303,L]\n"],
    ['RewriteEngine on after the rule: the last one counts', '--base /ns/',
     "RewriteRule ^x\$ /y [R=303,L]\nRewriteEngine on\n",
     "SeeOther /ns/x /y exact\nRewriteEngine on\n"],
    ['RewriteEngine off at the end: kept', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303,L]\nRewriteEngine off\n",
     "RewriteEngine on\n# see-other-convert: kept: RewriteEngine is not on (in this file or, with --root, a parent directory)\n"
     . "RewriteRule ^x\$ /y [R=303,L]\nRewriteEngine off\n"],
    ['SetEnvIf Request_URI ^/DIR/(.*)$: constants and $1 as the rule\'s own $1', '--base /ns/',
     "SetEnvIf Request_URI ^/ns/(.*)\$ BASE=https://d.e.org/v1 ANCHOR=\$1\nRewriteEngine on\n"
     . "RewriteRule ^(.*)\$ %{ENV:BASE}/index.html#%{ENV:ANCHOR} [R=303,L,NE]\n"
     . "RewriteRule ^t/(.*)\$ %{ENV:BASE}/%{ENV:ANCHOR} [R=303,L]\n",
     "SetEnvIf Request_URI ^/ns/(.*)\$ BASE=https://d.e.org/v1 ANCHOR=\$1\nRewriteEngine on\n"
     . "SeeOtherMatch ^/ns/(.*)\$ https://d.e.org/v1/index.html#\$1 query=drop\n"
     . "# see-other-convert: kept: substitution uses %{...}, \${map:...} or %N back-references\n"
     . "RewriteRule ^t/(.*)\$ %{ENV:BASE}/%{ENV:ANCHOR} [R=303,L]\n"],
    ['SetEnvIf Request_URI of a narrower path: not a constant', '--base /ns/',
     "SetEnvIf Request_URI ^/ns/v2/ BASE=https://d.e.org/v2\nRewriteEngine on\nRewriteRule ^a\$ %{ENV:BASE}/a [R=303,L]\n",
     "SetEnvIf Request_URI ^/ns/v2/ BASE=https://d.e.org/v2\nRewriteEngine on\n"
     . "# see-other-convert: kept: substitution uses %{...}, \${map:...} or %N back-references\n"
     . "RewriteRule ^a\$ %{ENV:BASE}/a [R=303,L]\n"],
    ['two patterns interleaved, the later one shadowed where both match: converted in place', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/(.+)\$ /v/\$1.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^ /latest.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^v/(.+)\$ /v/\$1.html [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^ /latest.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: Accept tests kept as expr= (for */* the original answers no answer, mod_see_other would answer /v/\$1.ttl)\n"
     . "SeeOtherMatch ^/ns/v/(.+)\$ /v/\$1.ttl expr=\"%{HTTP_ACCEPT} =~ m#text/turtle#\"\n"
     . "# see-other-convert: Accept tests kept as expr= (for */* the original answers no answer, mod_see_other would answer /latest.ttl)\n"
     . "SeeOtherMatch ^/ns/ /latest.ttl expr=\"%{HTTP_ACCEPT} =~ m#text/turtle#\"\n"
     . "SeeOtherMatch ^/ns/v/(.+)\$ /v/\$1.html expr=\"%{HTTP_ACCEPT} =~ m#text/html#\"\n"
     . "SeeOtherMatch ^/ns/ /latest.html expr=\"%{HTTP_ACCEPT} =~ m#text/html#\"\n"],
    ['two patterns interleaved that no path matches both (/?$ against /FILE.EXT$): converted', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/([0-9]+)/?\$ /v/\$1.ttl [R=303,L]\n"
     . "RewriteRule ^v/([0-9]+)/(\\w+\\.\\w+)\$ /files/\$2 [R=303,L]\nRewriteRule ^v/([0-9]+)/?\$ /v/\$1.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: the group below is ordered so that */* and requests without Accept keep their answers\n"
     . "SeeOtherMatch ^/ns/v/([0-9]+)/?\$ /v/\$1.html accept=text/html\n"
     . "SeeOtherMatch ^/ns/v/([0-9]+)/?\$ /v/\$1.ttl accept=text/turtle\n"
     . "SeeOtherMatch ^/ns/v/([0-9]+)/(\\w+\\.\\w+)\$ /files/\$2\n"
     . "SeeOtherMatch ^/ns/v/([0-9]+)/?\$ /v/\$1.html\n"],
    ['two patterns interleaved that one path matches (v/1 by [0-9]+ and [0-9a-z]+): kept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/([0-9]+)/?\$ /v/\$1.ttl [R=303,L]\n"
     . "RewriteRule ^v/([0-9a-z]+)/?\$ /files/\$1 [R=303,L]\nRewriteRule ^v/([0-9]+)/?\$ /v/\$1.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/([0-9]+)/?\$ /v/\$1.ttl [R=303,L]\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteRule ^v/([0-9a-z]+)/?\$ /files/\$1 [R=303,L]\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteRule ^v/([0-9]+)/?\$ /v/\$1.html [R=303,L]\n"],
    ['\\% in a substitution is a literal percent sign', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^t/(\\d+)\$ https://ts.e.org/terms?iri=https\\%3A\\%2F\\%2Fw3id.org\\%2F\$1 [R=303,L,NE]\n",
     "RewriteEngine on\nSeeOtherMatch ^/ns/t/(\\d+)\$ https://ts.e.org/terms?iri=https%3A%2F%2Fw3id.org%2F\$1\n"],
    ['$0 where one group is the whole pattern: $1; otherwise kept', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^(.+) https://e.org/x?uri=\$0 [R=303,NE,L]\nRewriteRule ^a(b)\$ https://e.org/y/\$0 [R=303,L]\n",
     "RewriteEngine on\nSeeOtherMatch ^/ns/(.+) https://e.org/x?uri=\$1\n"
     . "# see-other-convert: kept: substitution uses \$0\nRewriteRule ^a(b)\$ https://e.org/y/\$0 [R=303,L]\n"],
    ['two patterns interleaved with different conditions: kept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/(.+)\$ /v/\$1.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^ /latest.html [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^v/(.+)\$ /v/\$1.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^v/(.+)\$ /v/\$1.ttl [R=303,L]\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^ /latest.html [R=303,L]\n"
     . "# see-other-convert: kept: rules of two patterns answer the same path in an order mod_see_other cannot keep\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^v/(.+)\$ /v/\$1.html [R=303,L]\n"],
    ['a default the original gives requests without Accept, its type served by a typed rule: typed rules need Accept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^\$ /doc.html [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml [OR]\nRewriteCond %{HTTP_ACCEPT} \\*/\\*\nRewriteRule ^\$ /o.rdf [R=303,L]\n"
     . "RewriteRule ^\$ /base.rdf [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: the group below is ordered so that */* and requests without Accept keep their answers\n"
     . "SeeOther /ns/ /o.rdf exact accept=application/rdf+xml expr=\"-n %{HTTP_ACCEPT}\"\n"
     . "SeeOther /ns/ /doc.html exact accept=text/html expr=\"-n %{HTTP_ACCEPT}\"\n"
     . "SeeOther /ns/ /base.rdf exact\n"],
    ['a variable set by SetEnvIf Accept: one variant per value, a rule whose conditions never hold as a comment', '--base /ns/',
     "SetEnvIf Accept ^.*text/turtle.* SYNTAX=ttl\nSetEnvIf Accept ^.*text/html.* SYNTAX=html\nRewriteEngine on\n"
     . "RewriteCond %{ENV:SYNTAX} ^(ttl|html)\$\nRewriteRule ^(.+)\$ /d/\$1.%{ENV:SYNTAX} [R=303,L]\n"
     . "RewriteCond %{ENV:SYNTAX} ^plain\$\nRewriteRule ^(.+)\$ /d/\$1.txt [R=303,L]\n"
     . "RewriteRule ^(.+)\$ /d/\$1.ttl [R=303,L]\n",
     "SetEnvIf Accept ^.*text/turtle.* SYNTAX=ttl\nSetEnvIf Accept ^.*text/html.* SYNTAX=html\nRewriteEngine on\n"
     . "SeeOtherMatch ^/ns/(.+)\$ /d/\$1.ttl accept=text/turtle\n"
     . "SeeOtherMatch ^/ns/(.+)\$ /d/\$1.html accept=text/html\n"
     . "# see-other-convert: never answered in the original (its conditions on %{ENV:SYNTAX} never hold): RewriteRule ^(.+)\$ /d/\$1.txt [R=303,L]\n"
     . "SeeOtherMatch ^/ns/(.+)\$ /d/\$1.ttl\n",
     qr/3 are 303 redirects: 3 converted, 0 kept/],
    ['a condition on a SetEnvIf Accept variable after [OR]: no variants, the test as expr= on the variable', '--base /ns/',
     "SetEnvIf Accept turtle SYNTAX=ttl\nRewriteEngine on\n"
     . "RewriteCond %{QUERY_STRING} x [OR]\nRewriteCond %{ENV:SYNTAX} ^ttl\$\nRewriteRule ^a\$ /a.ttl [R=303,L]\n",
     "SetEnvIf Accept turtle SYNTAX=ttl\nRewriteEngine on\n"
     . "SeeOther /ns/a /a.ttl exact expr=\"(%{QUERY_STRING} =~ /x/ || %{env:SYNTAX} =~ /^ttl\$/)\"\n"],
    ['a trailing [OR] chain holds whatever its tests say (mod_rewrite goes past a failed [OR])', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{QUERY_STRING} a\nRewriteCond %{QUERY_STRING} b [OR]\nRewriteRule ^x\$ /y [R=303,L]\n",
     "RewriteEngine on\nSeeOther /ns/x /y exact expr=\"%{QUERY_STRING} =~ /a/\"\n"],
    ['a substitution whose scheme mod_rewrite does not redirect to: kept', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ hhttps://e.org/y [R=303,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: the substitution's scheme is not http:// or https://\nRewriteRule ^x\$ hhttps://e.org/y [R=303,L]\n"],
    ['conditions as expr=: [NC], !, [OR]', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{QUERY_STRING} format=ttl [NC]\nRewriteRule ^q\$ /q.ttl [R=303,L,QSD]\n"
     . "RewriteCond %{QUERY_STRING} !format= [OR]\nRewriteCond %{HTTP_HOST} ^nowhere\$\nRewriteRule ^q\$ /q.html [R=303,L]\n",
     "RewriteEngine on\nSeeOther /ns/q /q.ttl exact query=drop expr=\"%{QUERY_STRING} =~ /format=ttl/i\"\n"
     . "SeeOther /ns/q /q.html exact expr=\"(!(%{QUERY_STRING} =~ /format=/) || %{HTTP_HOST} =~ /^nowhere\$/)\"\n"],
    ['a SetEnvIf constant is written out', '--base /ns/',
     "SetEnvIf Request_URI ^.*\$ DOCS=https://docs.e.org\nRewriteEngine on\nRewriteRule ^e\$ %{ENV:DOCS}/e.html [R=303,L]\n",
     "SetEnvIf Request_URI ^.*\$ DOCS=https://docs.e.org\nRewriteEngine on\nSeeOther /ns/e https://docs.e.org/e.html exact\n"],
    ['a back-reference is kept verbatim', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{QUERY_STRING} id=([0-9]+)\nRewriteRule ^c\$ /c/%1 [R=303,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: substitution uses %{...}, \${map:...} or %N back-references\n"
     . "RewriteCond %{QUERY_STRING} id=([0-9]+)\nRewriteRule ^c\$ /c/%1 [R=303,L]\n"],
    ['a conditional 302 [L] before the 303 on its path: the 303 answers where the 302 does not', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^a\$ /a.html [R=302,L]\n"
     . "RewriteRule ^a\$ /a.ttl [R=303,L]\nRewriteRule ^b\$ /b [R=303,L]\n",
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^a\$ /a.html [R=302,L]\n"
     . "SeeOther /ns/a /a.ttl exact expr=\"!(%{HTTP_ACCEPT} =~ m#text/html#)\"\nSeeOther /ns/b /b exact\n",
     qr/2 are 303 redirects: 2 converted, 0 kept/],
    ['a 302 without [L] before the 303 (mod_rewrite goes on): the 303 is kept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^a\$ /a.html [R=302]\n"
     . "RewriteRule ^a\$ /a.ttl [R=303,L]\n",
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^a\$ /a.html [R=302]\n"
     . "# see-other-convert: kept: an unconverted rule (line 3) may answer the same path\n"
     . "RewriteRule ^a\$ /a.ttl [R=303,L]\n"],
    ['a 302 of another pattern that may match the same paths: its path test goes into expr=', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^doc/(.*)\$ /html/\$1 [R=302,L]\n"
     . "RewriteRule ^(.*)\$ /data/\$1 [R=303,L]\n",
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^doc/(.*)\$ /html/\$1 [R=302,L]\n"
     . "SeeOtherMatch ^/ns/(.*)\$ /data/\$1 expr=\"!(%{REQUEST_URI} =~ m#^/ns/doc/(.*)\$# && %{HTTP_ACCEPT} =~ m#text/html#)\"\n"],
    ['an absolute URL without [L] before the 303: the rules after it see that URL, which ^onto$ cannot match', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^onto\$ https://doc.e.org/\nRewriteRule ^onto\$ /onto.ttl [R=303,L]\n",
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^onto\$ https://doc.e.org/\n"
     . "SeeOther /ns/onto /onto.ttl exact expr=\"!(%{HTTP_ACCEPT} =~ m#text/html#)\"\n"],
    ['an absolute URL without [L] before a 303 whose pattern matches that URL too: kept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^onto\$ https://doc.e.org/\nRewriteRule ^(.*)\$ /all.ttl [R=303,L]\n",
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^onto\$ https://doc.e.org/\n"
     . "# see-other-convert: kept: an unconverted rule (line 3) may answer the same path\n"
     . "RewriteRule ^(.*)\$ /all.ttl [R=303,L]\n"],
    ['a 303 without [L] that the next rule may override (its pattern matches the target): it answers where that rule would not', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^(.+) https://doc.e.org/#\$1 [R=303,NE]\n"
     . "RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml\nRewriteRule ^(.+) https://e.org/o.owl [R=302,NE,L]\n",
     "RewriteEngine on\n# see-other-convert: Accept tests kept as expr= (for */* the original answers no answer, mod_see_other would answer https://doc.e.org/#\$1)\n"
     . "SeeOtherMatch ^/ns/(.+) https://doc.e.org/#\$1 query=drop expr=\"%{HTTP_ACCEPT} =~ m#text/html# && !(%{HTTP_ACCEPT} =~ m#application/rdf\\+xml#)\"\n"
     . "RewriteCond %{HTTP_ACCEPT} application/rdf\\+xml\nRewriteRule ^(.+) https://e.org/o.owl [R=302,NE,L]\n"],
    ['a 303 without [L] whose target a later rule rewrites with a capture: kept', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^(.+) https://doc.e.org/\$1 [R=303]\nRewriteRule ^(.+)\$ https://g.e.org/\$1 [R=303,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: no [L]: a later rule (line 3) may rewrite its target\n"
     . "RewriteRule ^(.+) https://doc.e.org/\$1 [R=303]\n"
     . "# see-other-convert: kept: an unconverted rule (line 2) may answer the same path\n"
     . "RewriteRule ^(.+)\$ https://g.e.org/\$1 [R=303,L]\n"],
    ['an unconditional 302 [L] before the 303 on its path: the 303 never answered', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^\$ /home [R=302,L]\nRewriteRule ^\$ /data [R=303,L]\n",
     "RewriteEngine on\nRewriteRule ^\$ /home [R=302,L]\n"
     . "# see-other-convert: never answered in the original (an earlier rule always does): RewriteRule ^\$ /data [R=303,L]\n"],
    ['an [R=406] for every path before the default: the default answers only without Accept', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle [OR]\nRewriteCond %{HTTP_ACCEPT} \\*/\\*\nRewriteRule ^\$ /a.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} .+\nRewriteRule ^(.*)\$ - [R=406,L]\nRewriteRule ^\$ /a.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: the group below is ordered so that */* and requests without Accept keep their answers\n"
     . "SeeOther /ns/ /a.html exact accept=text/html expr=\"!(%{HTTP_ACCEPT} =~ /.+/) && -z %{HTTP_ACCEPT}\"\n"
     . "SeeOther /ns/ /a.ttl exact accept=text/turtle\n"
     . "RewriteCond %{HTTP_ACCEPT} .+\nRewriteRule ^(.*)\$ - [R=406,L]\n"
     . "SeeOther /ns/ /a.html exact expr=\"!(%{HTTP_ACCEPT} =~ /.+/)\"\n"],
    ['an [R=406] that only */* reaches: kept with the rules it shadows', '--base /ns/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^\$ /a.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} .+\nRewriteRule ^(.*)\$ - [R=406,L]\nRewriteRule ^\$ /a.html [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: kept: for no Accept the original answers /a.html, mod_see_other would answer /a.ttl\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^\$ /a.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} .+\nRewriteRule ^(.*)\$ - [R=406,L]\n"
     . "# see-other-convert: kept: for no Accept the original answers /a.html, mod_see_other would answer /a.ttl\n"
     . "RewriteRule ^\$ /a.html [R=303,L]\n"],
    ['Accept and User-Agent tests become an accept= group; */* keeps RDF/XML', '--base /v/',
     "RewriteEngine on\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html [OR]\nRewriteCond %{HTTP_USER_AGENT} ^Mozilla/\n"
     . "RewriteRule ^(\\w+)\$ https://e.org/#\$1 [R=303,NE,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^(\\w+)\$ https://e.org/v.ttl [R=303,L]\n"
     . "RewriteRule ^(\\w+)\$ https://e.org/v.rdf [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: the group below is ordered so that */* and requests without Accept keep their answers\n"
     . "SeeOtherMatch ^/v/(\\w+)\$ https://e.org/v.rdf accept=application/rdf+xml\n"
     . "SeeOtherMatch ^/v/(\\w+)\$ https://e.org/#\$1 accept=text/html query=drop\n"
     . "SeeOtherMatch ^/v/(\\w+)\$ https://e.org/v.ttl accept=text/turtle\n"
     . "SeeOtherMatch ^/v/(\\w+)\$ https://e.org/v.rdf\n",
     qr/converted +3 +as accept= groups/],
    ['tests a group cannot keep stay exact as expr=', '--base /c/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle\nRewriteRule ^(.*)\$ /c.ttl [R=303,L]\n"
     . "RewriteRule ^(.+)\$ /doc#\$1 [R=303,L,NE]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: Accept tests kept as expr= (for */* the original answers no answer, mod_see_other would answer /c.ttl)\n"
     . "SeeOtherMatch ^/c/(.*)\$ /c.ttl expr=\"%{HTTP_ACCEPT} =~ m#text/turtle#\"\n"
     . "SeeOtherMatch ^/c/(.+)\$ /doc#\$1 query=drop\n"],
    ['Accept ORed with another test: every test as expr=', '--base /m/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/turtle [OR]\nRewriteCond %{QUERY_STRING} ttl\nRewriteRule ^\$ /m.ttl [R=303,L]\n",
     "RewriteEngine on\n# see-other-convert: Accept tests kept as expr= (a condition ORs Accept or User-Agent with another test)\n"
     . "SeeOther /m/ /m.ttl exact expr=\"(%{HTTP_ACCEPT} =~ m#text/turtle# || %{QUERY_STRING} =~ /ttl/)\"\n"],
    ['[R=406] becomes SeeOtherNotAcceptable; no Accept gets the last rule', '--base /na/',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^(.*)\$ /na.html [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} text/turtle [OR]\nRewriteCond %{HTTP_ACCEPT} \\*/\\*\nRewriteRule ^(.*)\$ /na.ttl [R=303,L]\n"
     . "RewriteCond %{HTTP_ACCEPT} .+\nRewriteRule ^(.*)\$ - [R=406,L]\nRewriteRule ^(.*)\$ /na.ttl [R=303,L]\n",
     "RewriteEngine on\n"
     . "# see-other-convert: the group below is ordered so that */* and requests without Accept keep their answers\n"
     . "SeeOtherMatch ^/na/(.*)\$ /na.ttl accept=text/turtle\n"
     . "SeeOtherMatch ^/na/(.*)\$ /na.html accept=text/html\n"
     . "SeeOtherNotAcceptable on\n"
     . "# see-other-convert: answered by SeeOtherNotAcceptable: RewriteCond %{HTTP_ACCEPT} .+ / RewriteRule ^(.*)\$ - [R=406,L]\n"
     . "SeeOtherMatch ^/na/(.*)\$ /na.ttl expr=\"!(%{HTTP_ACCEPT} =~ /.+/)\"\n",
     qr/1 \[R=406\] answered by SeeOtherNotAcceptable/],
    ['--no-not-acceptable keeps the 406 and its group', '--base /na/ --no-not-acceptable',
     "RewriteEngine on\nRewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^\$ /na.html [R=303,L]\nRewriteRule ^\$ - [R=406,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: [R=406] without SeeOtherNotAcceptable\n"
     . "RewriteCond %{HTTP_ACCEPT} text/html\nRewriteRule ^\$ /na.html [R=303,L]\nRewriteRule ^\$ - [R=406,L]\n"],
    ['a rule after an unconditional one is never answered: a comment', '--base /u/',
     "RewriteEngine on\nRewriteRule ^\$ /a [R=303,L]\nRewriteRule ^\$ /b [R=303,L]\n",
     "RewriteEngine on\nSeeOther /u/ /a exact\n"
     . "# see-other-convert: never answered in the original (an earlier rule always does): RewriteRule ^\$ /b [R=303,L]\n"],
    ['other flags keep the rule', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303,L,E=V:1]\n",
     "RewriteEngine on\n# see-other-convert: kept: flag E\nRewriteRule ^x\$ /y [R=303,L,E=V:1]\n"],
    ['no [L], and a later rule may rewrite the target', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303]\nRewriteRule ^(.*)\$ /z [R=302,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: no [L]: a later rule (line 3) may rewrite its target\n"
     . "RewriteRule ^x\$ /y [R=303]\nRewriteRule ^(.*)\$ /z [R=302,L]\n"],
    ['a catch-all 302 after the 303s: this module answers first, as the 303s did', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303,L]\nRewriteRule ^(.*)\$ /z [R=302,L]\n",
     "RewriteEngine on\nSeeOther /ns/x /y exact\nRewriteRule ^(.*)\$ /z [R=302,L]\n"],
    ['--order unknown keeps it', '--base /ns/ --order unknown',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303,L]\nRewriteRule ^(.*)\$ /z [R=302,L]\n",
     "RewriteEngine on\n# see-other-convert: kept: an unconverted rule (line 3) may answer the same path\n"
     . "RewriteRule ^x\$ /y [R=303,L]\nRewriteRule ^(.*)\$ /z [R=302,L]\n"],
    ['no [L], nothing after it: converted', '--base /ns/',
     "RewriteEngine on\nRewriteRule ^x\$ /y [R=303]\n",
     "RewriteEngine on\nSeeOther /ns/x /y exact\n"],
    ['comments, blank lines, continuation lines and other directives stay', '--base /ns/',
     "# top\n\nOptions -MultiViews\nAddType text/turtle .ttl\nRewriteEngine on\n# the doc\nRewriteRule ^\$ \\\n  https://e.org/doc [R=303,L]\nHeader set X-A b\n",
     "# top\n\nOptions -MultiViews\nAddType text/turtle .ttl\nRewriteEngine on\n# the doc\nSeeOther /ns/ https://e.org/doc exact\nHeader set X-A b\n"],
);

for my $c (@cases) {
    my ($name, $opt, $in, $want, $sum) = @$c;
    my ($out, $err, $rc) = run_conv($in, $opt);
    is $out, $want, $name;
    like $err, $sum, "$name: summary" if $sum;
}

# --- the command line
{
    my $in = "RewriteEngine on\nRewriteRule ^\$ /d [R=303,L]\n";
    my ($out, $err, $rc) = run_conv($in, '--base /ns/ --diff');
    like $out, qr/^--- \S+\n\+\+\+ \S+ \(converted\)\n/, '--diff: unified diff header';
    like $out, qr/^-RewriteRule \^\$ \/d \[R=303,L\]\n\+SeeOther \/ns\/ \/d exact$/m, '--diff: the change';
    ($out, $err, $rc) = run_conv($in, "--base /ns/ -q -o $dir/out");
    is $out, '', '-o: nothing on stdout';
    is $err, '', '-q: no summary';
    open my $fh, '<', "$dir/out" or die $!;
    is do { local $/; <$fh> }, "RewriteEngine on\nSeeOther /ns/ /d exact\n", '-o: the file';
    my $help = `$^X $script --help 2>&1`;
    is $? >> 8, 0, '--help exits 0';
    like $help, qr/SYNOPSIS.*--base/s, '--help: the manual';
    `$^X $script 2>/dev/null`;
    is $? >> 8, 2, 'no file: usage, exit 2';
    mkdir "$dir/root"; mkdir "$dir/root/w3"; mkdir "$dir/root/w3/sub";
    open $fh, '>', "$dir/root/w3/sub/.htaccess" or die $!;
    print {$fh} $in;
    close $fh;
    $out = `$^X $script -q --root $dir/root $dir/root/w3/sub/.htaccess`;
    is $out, "RewriteEngine on\nSeeOther /w3/sub/ /d exact\n", '--root: the base from the path';
    # RewriteEngine on in a parent directory's .htaccess holds for this one
    open $fh, '>', "$dir/root/w3/sub/.htaccess" or die $!;
    print {$fh} "RewriteRule ^\$ /d [R=303,L]\n";
    close $fh;
    $out = `$^X $script -q --root $dir/root $dir/root/w3/sub/.htaccess`;
    like $out, qr/^# see-other-convert: kept: RewriteEngine is not on/, '--root: no RewriteEngine anywhere: kept';
    open $fh, '>', "$dir/root/.htaccess" or die $!;
    print {$fh} "<IfModule mod_rewrite.c>\nRewriteEngine on\n</IfModule>\n";
    close $fh;
    $out = `$^X $script -q --root $dir/root $dir/root/w3/sub/.htaccess`;
    is $out, "SeeOther /w3/sub/ /d exact\n", '--root: RewriteEngine on in the root .htaccess is inherited';
    open $fh, '>', "$dir/root/w3/.htaccess" or die $!;
    print {$fh} "RewriteEngine off\n";
    close $fh;
    $out = `$^X $script -q --root $dir/root $dir/root/w3/sub/.htaccess`;
    like $out, qr/^# see-other-convert: kept: RewriteEngine is not on/, '--root: a nearer RewriteEngine off wins';
}

# --- golden files: every file the differential test serves
my @entries = map { (split ' ')[1] }
              grep { !/^\s*(#|$)/ } split /\n/, slurp("$top/t/convert/SETS");
for my $e (@entries) {
    my ($name) = $e =~ m{([^/]+)$};
    my $src = "$top/t/convert/$e.htaccess";
    my $gold = "$top/t/convert/$e.converted";
    my $out = `$^X $script -q --base /$name/ $src`;
    if ($ENV{CONVERT_WRITE}) {
        open my $fh, '>:raw', $gold or die "$gold: $!";
        print {$fh} $out;
        close $fh;
    }
    ok $out eq slurp($gold), "golden: $e";
}

done_testing();

sub slurp {
    my ($f) = @_;
    open my $fh, '<:raw', $f or return '';
    local $/;
    return scalar <$fh>;
}
