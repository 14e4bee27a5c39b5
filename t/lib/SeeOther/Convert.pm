package SeeOther::Convert;
# What t/convert.t and t/convert_diff.t share: the real clients the
# differential test sends, the request paths a file's rules name (made up
# from their patterns), the sets of w3id.org namespaces, and the
# classification of a difference between the original and the converted
# configuration.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use File::Spec ();
use FindBin ();

our @EXPORT_OK = qw(@CLIENTS namespaces paths_for classify top_dir
                    read_text);

my $UA_CURL = 'curl/8.11.0';
my $UA_CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 '
                . '(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
my $UA_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
my $UA_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 '
              . '(KHTML, like Gecko) Version/18.1 Safari/605.1.15';

# Each client: name, Accept (undef: none sent), User-Agent, and whether
# the converter promises the same answer ("must") or the answer may change
# on purpose (q-values honoured, no User-Agent sniffing).
our @CLIENTS = (
    { name => 'chromium', must => 1, ua => $UA_CHROMIUM,
      accept => 'text/html,application/xhtml+xml,application/xml;q=0.9,'
              . 'image/avif,image/webp,image/apng,*/*;q=0.8,'
              . 'application/signed-exchange;v=b3;q=0.7' },
    { name => 'firefox', must => 1, ua => $UA_FIREFOX,
      accept => 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    { name => 'safari', must => 1, ua => $UA_SAFARI,
      accept => 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    { name => 'curl', must => 1, ua => $UA_CURL, accept => '*/*' },
    { name => 'no-accept', must => 1, ua => $UA_CURL, accept => undef },
    { name => 'turtle', must => 1, ua => $UA_CURL, accept => 'text/turtle' },
    { name => 'rdfxml', must => 1, ua => $UA_CURL, accept => 'application/rdf+xml' },
    { name => 'jsonld', must => 1, ua => $UA_CURL, accept => 'application/ld+json' },
    # rdflib's URLInputSource default
    { name => 'rdflib', must => 0, ua => 'rdflib-7.1.1 (https://rdflib.github.io/; eikeon@eikeon.com)',
      accept => 'application/rdf+xml, text/rdf+n3;q=0.9, application/xhtml+xml;q=0.5, */*;q=0.1' },
    # Apache Jena RIOT's default for a read from the web
    { name => 'jena', must => 0, ua => 'Apache-Jena-ARQ/5.2.0',
      accept => 'text/turtle,application/n-triples;q=0.95,application/ld+json;q=0.9,'
              . 'application/rdf+xml;q=0.7,*/*;q=0.5' },
    # Turtle preferred, HTML at a pinch
    { name => 'qvalued', must => 0, ua => $UA_CURL,
      accept => 'text/turtle;q=0.9, text/html;q=0.1' },
    # a script in a browser page asking for RDF
    { name => 'browser-fetch-turtle', must => 0, ua => $UA_FIREFOX,
      accept => 'text/turtle' },
);

sub top_dir {
    my $d = $FindBin::Bin;
    $d =~ s{/t$}{};
    return $d;
}

sub read_text {
    my ($file) = @_;
    open my $fh, '<:raw', $file or die "$file: $!\n";
    local $/;
    return scalar <$fh>;
}

# The entries of a set: "fast" (make test) or "sample" (make
# test-convert, which includes fast), from t/convert/SETS: w3id/NAME or
# synthetic/NAME, the file t/convert/ENTRY.htaccess, served at /NAME/.
sub namespaces {
    my ($set) = @_;
    my $file = File::Spec->catfile(top_dir(), 't', 'convert', 'SETS');
    my @ns;
    for (split /\n/, read_text($file)) {
        next if /^\s*(#|$)/;
        my ($s, $ns) = split ' ';
        push @ns, $ns if $s eq $set || ($set eq 'sample' && $s eq 'fast');
    }
    return @ns;
}

# ---------------------------------------------------------------------------
# Request paths: for every RewriteRule/Redirect pattern of the file, a few
# strings it matches, made up by walking the regex.

sub paths_for {
    my ($ns, $text) = @_;
    my %p = ("/$ns/" => 1, "/$ns" => 1, "/$ns/no-such-term" => 1);
    for my $line (split /\n/, $text) {
        # a synthetic file names paths of its own
        if ($line =~ /^# paths: (.*)/) { $p{$_} = 1 for split ' ', $1; next }
        if ($line =~ /^\s*RewriteRule\s+(\S+)/i) {
            my $re = $1;
            next if $re =~ /^!/;
            my $q = eval { qr/$re/ } or next;
            for my $w (witnesses($re)) {
                $p{"/$ns/$w"} = 1 if $w =~ $q && $w !~ /[\s#?%]/
                                     && "/$w/" !~ m{/\.\.?/};
            }
        } elsif ($line =~ /^\s*RedirectMatch\s+(?:\S+\s+)?(\^\/\S+)\s+\S+/i) {
            my $re = $1;
            my $q = eval { qr/$re/ } or next;
            for my $w (witnesses($re)) { $p{$w} = 1 if $w =~ $q && $w !~ /[\s#?%]/ }
        } elsif ($line =~ /^\s*Redirect\s+(?:\S+\s+)?(\/\S*)\s+\S+/i) {
            $p{$1} = 1;
            $p{"$1/x"} = 1 unless $1 =~ m{/$};
        }
    }
    my @p = sort keys %p;
    return @p;
}

# Up to six strings made from a regex: each atom takes, in turn, each of
# its choices (alternatives, repetition counts, class members).
sub witnesses {
    my ($re) = @_;
    my $pos = 0;
    my $seq = eval { parse_seq(\$re, \$pos) } or return ();
    my %out;
    for my $i (0 .. 5) {
        my $n = 0;
        my $s = render_seq($seq, $i, \$n);
        $out{$s} = 1 if defined $s && length($s) < 200;
    }
    return keys %out;
}

sub parse_seq {
    my ($re, $pos) = @_;
    my @alts = ([]);
    while ($$pos < length $$re) {
        my $c = substr $$re, $$pos, 1;
        last if $c eq ')';
        if ($c eq '|') { $$pos++; push @alts, []; next }
        my $atom = parse_atom($re, $pos);
        next unless $atom;
        # quantifier
        if ($$pos < length $$re && substr($$re, $$pos) =~ /^([?*+]|\{(\d*)(,?)(\d*)\})[?+]?/) {
            my ($q, $lo, $comma, $hi) = ($1, $2, $3, $4);
            $$pos += length $&;
            my @counts = $q eq '?' ? (1, 0) : $q eq '*' ? (1, 0, 2) : $q eq '+' ? (1, 2)
                       : ($lo || 0, ($comma ? ($hi || ($lo || 0) + 1) : ()));
            $atom = { rep => $atom, counts => \@counts };
        }
        push @{ $alts[-1] }, $atom;
    }
    return { alts => \@alts };
}

sub parse_atom {
    my ($re, $pos) = @_;
    my $c = substr $$re, $$pos++, 1;
    return undef if $c eq '^' || $c eq '$';
    if ($c eq '\\') {
        my $e = substr $$re, $$pos++, 1;
        return { lit => ['1', '2'] } if $e eq 'd';
        return { lit => ['a', 'b'] } if $e eq 'w';
        return { lit => ['-'] } if $e eq 's';
        return undef if $e =~ /[bBAzZ]/;
        return { lit => [$e] };
    }
    if ($c eq '.') { return { lit => ['a', 'x', '1'] } }
    if ($c eq '[') {
        my $end = $$pos;
        $end++ if substr($$re, $end, 1) eq '^';
        $end++ if substr($$re, $end, 1) eq ']';
        while ($end < length $$re) {
            my $ch = substr $$re, $end, 1;
            last if $ch eq ']';
            $end += $ch eq '\\' ? 2 : 1;
        }
        my $body = substr $$re, $$pos, $end - $$pos;
        $$pos = $end + 1;
        my $cls = eval { qr/[$body]/ } or return { lit => ['a'] };
        my @c = grep { $_ =~ $cls } ('a', 'b', 'Z', '1', '0', '-', '_', '.', '/', 'x');
        return { lit => @c ? \@c : ['a'] };
    }
    if ($c eq '(') {
        my $look;
        if (substr($$re, $$pos) =~ /^\?(?:[:>]|<?[=!]|P?<[A-Za-z]\w*>|[a-z]+:|[a-z]+\))/) {
            my $m = $&;
            $look = $m =~ /[=!]$/;
            $$pos += length $m;
            return { lit => [''] } if $m =~ /\)$/;
        }
        my $inner = parse_seq($re, $pos);
        $$pos++;
        return undef if $look;
        return { group => $inner };
    }
    return { lit => [$c] };
}

sub render_seq {
    my ($seq, $i, $n) = @_;
    my $alts = $seq->{alts};
    my $alt = $alts->[ ($i + $$n++) % @$alts ];
    my $s = '';
    for my $a (@$alt) {
        my $x = render_atom($a, $i, $n);
        return undef unless defined $x;
        $s .= $x;
    }
    return $s;
}

sub render_atom {
    my ($a, $i, $n) = @_;
    if ($a->{rep}) {
        my $k = $a->{counts}[ ($i + $$n++) % @{ $a->{counts} } ];
        return join '', map { render_atom($a->{rep}, $i, $n) // '' } 1 .. $k;
    }
    return $a->{lit}[ ($i + $$n++) % @{ $a->{lit} } ] if $a->{lit};
    return render_seq($a->{group}, $i, $n);
}

# ---------------------------------------------------------------------------
# Classification of one difference.  $o and $c: "STATUS LOCATION".

sub classify {
    my ($client, $o, $c, $na_built) = @_;
    my ($os, $ol) = split ' ', $o, 2;
    my ($cs, $cl) = split ' ', $c, 2;
    $ol //= ''; $cl //= '';
    if ($os eq $cs && unescape($ol) eq unescape($cl)) {
        return 'intended: Location percent-encoded by mod_see_other';
    }
    if ($os eq $cs && $ol ne $cl && no_dots($ol) eq $cl) {
        return 'intended: dot segments removed (RFC 3986 resolution)';
    }
    if ($os eq $cs && $ol =~ m{^([a-z][a-z0-9+.-]*://[^/?#:]*):(/.*)?$}is && $cl eq $1 . ($2 // '')) {
        return 'intended: an empty port removed (RFC 3986 6.2.3)';
    }
    if ($os eq $cs && $ol =~ /^([^#]*#[^?]*)\?/ && $cl eq $1) {
        return 'intended: the original put the query after the fragment';
    }
    if (!$na_built && $os eq '406' && $cs ne '303') {
        return 'pending: SeeOtherNotAcceptable is not in this build';
    }
    return 'intended: the original ignores q-values or sniffs the User-Agent'
        unless $client->{must};
    return 'BUG';
}

# A URI with the "." and ".." segments of its path removed (RFC 3986 5.2.4).
sub no_dots {
    my ($u) = @_;
    my ($head, $path, $tail) = $u =~ m{^((?:[a-z][a-z0-9+.-]*:)?(?://[^/?#]*)?)([^?#]*)(.*)$}is
        or return $u;
    my @out;
    my @seg = split m{/}, $path, -1;
    for my $i (0 .. $#seg) {
        my $s = $seg[$i];
        if ($s eq '.' ) { push @out, '' if $i == $#seg; next }
        if ($s eq '..') { pop @out if @out > 1; push @out, '' if $i == $#seg; next }
        push @out, $s;
    }
    return $head . join('/', @out) . $tail;
}

sub unescape {
    my ($s) = @_;
    $s =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $s;
}

1;
