namespace AbstractEndpoint.Jinja.Syntax.Expressions;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    FloorDivide,
    Modulo,
    Power,
}
