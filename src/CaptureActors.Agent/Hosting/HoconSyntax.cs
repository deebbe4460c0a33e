namespace CaptureActors.Agent.Hosting;

/// <summary>Where a HOCON text is malformed: 1-based line and column (a tab is one column) and what is wrong there.</summary>
public sealed record HoconSyntaxError(int Line, int Column, string Problem)
{
    public override string ToString() => $"line {Line}, column {Column}: {Problem}";
}

/// <summary>
/// A structural check of HOCON before Akka reads it. Akka.NET's parser accepts a file that is not HOCON without a word:
/// <c>a { b = 1</c> (never closed), <c>a = 1 }</c>, <c>a = "open</c>, <c>b = { c = }</c> and <c>a b c</c> all load, the
/// broken part silently dropped or read as an empty value, so a setting the operator meant is not applied; and
/// <c>a {</c>, <c>c = [1, 2</c>, <c>}</c> (an array closed by a brace) makes it loop, allocating until the machine runs
/// out of memory (measured: 22 GB within minutes). Run before Akka ever sees a user's file. This finds
/// the first such place: brackets and braces that do not pair (outside strings and comments), a string not closed on
/// its line, a triple-quoted string or substitution never closed, a key without a value. It does not judge values
/// (Akka does, when a setting is read).
/// </summary>
public static class HoconSyntax
{
    private enum Kind { Object, Array }

    private enum State { ExpectKey, InKey, ExpectValue, InValue }

    private sealed record Open(Kind Kind, int Line, int Column, bool Root)
    {
        public State State { get; set; }

        public string Key { get; set; } = "";
    }

    /// <summary>The first structural error of <paramref name="text"/>, or null when it is well formed.</summary>
    public static HoconSyntaxError? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scanner = new Scanner(text);
        var stack = new Stack<Open>();
        stack.Push(new Open(Kind.Object, 1, 1, Root: true) { State = State.ExpectKey });
        var anyField = false;
        while (true)
        {
            var error = scanner.Next(out var token);
            if (error is not null)
            {
                return error;
            }

            var top = stack.Peek();
            switch (token.Type)
            {
                case TokenType.End:
                    return End(stack, token);
                case TokenType.NewLine or TokenType.Comma:
                    if (top.Kind == Kind.Object)
                    {
                        if (top.State == State.InKey)
                        {
                            return NoValue(top, token);
                        }

                        if (top.State == State.InValue)
                        {
                            top.State = State.ExpectKey;
                        }
                        else if (top.State == State.ExpectValue && token.Type == TokenType.Comma)
                        {
                            return NoValue(top, token);
                        }
                    }
                    else
                    {
                        top.State = State.ExpectValue;
                    }

                    break;
                case TokenType.Text:
                    if (top.Kind == Kind.Object)
                    {
                        switch (top.State)
                        {
                            case State.ExpectKey:
                                top.State = State.InKey;
                                top.Key = token.Text;
                                anyField = true;
                                break;
                            case State.InKey when top.Key == "include":
                                top.State = State.InValue;
                                break;
                            case State.InKey:
                                top.Key += " " + token.Text;
                                break;
                            default:
                                top.State = State.InValue;
                                break;
                        }
                    }
                    else
                    {
                        top.State = State.InValue;
                    }

                    break;
                case TokenType.Substitution:
                    if (top.Kind == Kind.Object && top.State is State.ExpectKey or State.InKey)
                    {
                        return new HoconSyntaxError(token.Line, token.Column, "a substitution '${...}' where a key was expected");
                    }

                    top.State = State.InValue;
                    break;
                case TokenType.Separator:
                    if (top.Kind == Kind.Object && top.State is State.ExpectKey)
                    {
                        return new HoconSyntaxError(token.Line, token.Column, $"'{token.Text}' without a key before it");
                    }

                    if (top.State == State.InKey)
                    {
                        top.State = State.ExpectValue;
                    }

                    // In a value or an array, ':' and '=' are Akka's business (it reads "host:port" unquoted).
                    break;
                case TokenType.OpenBrace or TokenType.OpenBracket:
                    if (top.Kind == Kind.Object && top.State == State.ExpectKey)
                    {
                        if (top.Root && !anyField && token.Type == TokenType.OpenBrace)
                        {
                            // The whole file in braces: { a = 1 }.
                            anyField = true;
                            stack.Push(new Open(Kind.Object, token.Line, token.Column, Root: false) { State = State.ExpectKey });
                            break;
                        }

                        return new HoconSyntaxError(token.Line, token.Column, $"'{token.Text}' where a key was expected");
                    }

                    if (top.Kind == Kind.Object && top.State == State.InKey && token.Type == TokenType.OpenBracket)
                    {
                        return new HoconSyntaxError(token.Line, token.Column, $"'[' after '{top.Key}': expected '=' or ':' before an array");
                    }

                    top.State = State.InValue;
                    stack.Push(new Open(token.Type == TokenType.OpenBrace ? Kind.Object : Kind.Array, token.Line, token.Column, Root: false)
                    {
                        State = token.Type == TokenType.OpenBrace ? State.ExpectKey : State.ExpectValue,
                    });
                    break;
                case TokenType.CloseBrace or TokenType.CloseBracket:
                    if (Close(stack, token) is { } mismatch)
                    {
                        return mismatch;
                    }

                    break;
            }
        }
    }

    private static HoconSyntaxError? Close(Stack<Open> stack, Token token)
    {
        var top = stack.Peek();
        var closes = token.Type == TokenType.CloseBrace ? Kind.Object : Kind.Array;
        if (top.Root)
        {
            return new HoconSyntaxError(token.Line, token.Column, $"'{token.Text}' closes nothing (no '{(closes == Kind.Object ? '{' : '[')}' is open here)");
        }

        if (top.Kind != closes)
        {
            return new HoconSyntaxError(token.Line, token.Column,
                $"'{token.Text}' where the '{(top.Kind == Kind.Object ? '{' : '[')}' of line {top.Line}, column {top.Column} must be closed with '{(top.Kind == Kind.Object ? '}' : ']')}'");
        }

        if (top.Kind == Kind.Object && top.State == State.InKey)
        {
            return NoValue(top, token);
        }

        if (top.Kind == Kind.Object && top.State == State.ExpectValue)
        {
            return NoValue(top, token);
        }

        stack.Pop();
        return null;
    }

    private static HoconSyntaxError? End(Stack<Open> stack, Token end)
    {
        var top = stack.Peek();
        if (top.Kind == Kind.Object && top.State is State.InKey or State.ExpectValue)
        {
            return NoValue(top, end);
        }

        if (top.Root)
        {
            return null;
        }

        var open = stack.Count - 1;
        // A file that ends with a newline ends on the line before (as editors and wc -l count).
        var last = end.Column == 1 && end.Line > 1 ? end.Line - 1 : end.Line;
        return new HoconSyntaxError(top.Line, top.Column,
            $"'{(top.Kind == Kind.Object ? '{' : '[')}' is never closed (the file ends at line {last}{(open > 1 ? $" with {open} brackets open" : "")})");
    }

    private static HoconSyntaxError NoValue(Open field, Token at) =>
        new(at.Line, at.Column, field.State == State.InKey
            ? $"'{field.Key}' has no value: expected '=', ':' or '{{' after it"
            : $"'{field.Key}' has no value after its '=' or ':'");

    private enum TokenType { End, NewLine, Comma, Text, Substitution, Separator, OpenBrace, CloseBrace, OpenBracket, CloseBracket }

    private readonly record struct Token(TokenType Type, int Line, int Column, string Text = "", bool Quoted = false);

    /// <summary>HOCON's tokens, with comments and blanks skipped.</summary>
    private sealed class Scanner(string text)
    {
        private const string NotInUnquoted = "$\"{}[],:=#+\r\n \t";
        private int _index;
        private int _line = 1;
        private int _column = 1;

        public HoconSyntaxError? Next(out Token token)
        {
            while (_index < text.Length)
            {
                var c = text[_index];
                var (line, column) = (_line, _column);
                switch (c)
                {
                    case ' ' or '\t' or '\r' or '\uFEFF':
                        Advance(1);
                        continue;
                    case '\n':
                        Advance(1);
                        token = new Token(TokenType.NewLine, line, column);
                        return null;
                    case '#':
                        SkipLine();
                        continue;
                    case '/' when At("//"):
                        SkipLine();
                        continue;
                    case ',':
                        Advance(1);
                        token = new Token(TokenType.Comma, line, column, ",");
                        return null;
                    case '=' or ':':
                        Advance(1);
                        token = new Token(TokenType.Separator, line, column, c.ToString());
                        return null;
                    case '+' when At("+="):
                        Advance(2);
                        token = new Token(TokenType.Separator, line, column, "+=");
                        return null;
                    case '{' or '}' or '[' or ']':
                        Advance(1);
                        token = new Token(c switch { '{' => TokenType.OpenBrace, '}' => TokenType.CloseBrace, '[' => TokenType.OpenBracket, _ => TokenType.CloseBracket }, line, column, c.ToString());
                        return null;
                    case '"' when At("\"\"\""):
                        return TripleQuoted(line, column, out token);
                    case '"':
                        return Quoted(line, column, out token);
                    case '$' when At("${"):
                        return Substitution(line, column, out token);
                    default:
                        var start = _index;
                        do
                        {
                            Advance(1);
                        }
                        while (_index < text.Length && !NotInUnquoted.Contains(text[_index], StringComparison.Ordinal) && !At("//"));

                        token = new Token(TokenType.Text, line, column, text[start.._index]);
                        return null;
                }
            }

            token = new Token(TokenType.End, _line, _column);
            return null;
        }

        private HoconSyntaxError? Quoted(int line, int column, out Token token)
        {
            var start = _index;
            Advance(1);
            while (_index < text.Length && text[_index] != '"' && text[_index] != '\n')
            {
                Advance(text[_index] == '\\' && _index + 1 < text.Length && text[_index + 1] != '\n' ? 2 : 1);
            }

            if (_index >= text.Length || text[_index] == '\n')
            {
                token = default;
                return new HoconSyntaxError(line, column, "a quoted string is not closed on its line (a '\"' is missing)");
            }

            Advance(1);
            token = new Token(TokenType.Text, line, column, text[start.._index], Quoted: true);
            return null;
        }

        private HoconSyntaxError? TripleQuoted(int line, int column, out Token token)
        {
            var start = _index;
            Advance(3);
            while (_index < text.Length && !At("\"\"\""))
            {
                Advance(1);
            }

            if (_index >= text.Length)
            {
                token = default;
                return new HoconSyntaxError(line, column, "a \"\"\" string is never closed");
            }

            // """ may be followed by more quotes that belong to the string.
            while (At("\"\"\"\""))
            {
                Advance(1);
            }

            Advance(3);
            token = new Token(TokenType.Text, line, column, text[start.._index], Quoted: true);
            return null;
        }

        private HoconSyntaxError? Substitution(int line, int column, out Token token)
        {
            var start = _index;
            while (_index < text.Length && text[_index] != '}' && text[_index] != '\n')
            {
                Advance(1);
            }

            if (_index >= text.Length || text[_index] == '\n')
            {
                token = default;
                return new HoconSyntaxError(line, column, "a substitution '${' is not closed with '}' on its line");
            }

            Advance(1);
            token = new Token(TokenType.Substitution, line, column, text[start.._index]);
            return null;
        }

        private bool At(string what) => string.CompareOrdinal(text, _index, what, 0, what.Length) == 0;

        private void SkipLine()
        {
            while (_index < text.Length && text[_index] != '\n')
            {
                Advance(1);
            }
        }

        private void Advance(int count)
        {
            for (var i = 0; i < count && _index < text.Length; i++, _index++)
            {
                if (text[_index] == '\n')
                {
                    _line++;
                    _column = 1;
                }
                else
                {
                    _column++;
                }
            }
        }
    }
}
