using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace LprEvents.Web.TagHelpers;

/// <summary>
/// Writes schema.org data as <c>&lt;script type="application/ld+json"&gt;</c>. The default JSON encoder escapes
/// <c>&lt;</c> and <c>&gt;</c>, so text from editors cannot close the script element.
/// </summary>
[HtmlTargetElement("json-ld", TagStructure = TagStructure.WithoutEndTag)]
public sealed class JsonLdTagHelper : TagHelper
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Default,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public object? Data { get; set; }

    private static System.Text.Json.Nodes.JsonNode? WithoutNulls(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (name, _) in obj.Where(p => p.Value is null).ToList())
                {
                    obj.Remove(name);
                }

                foreach (var (_, value) in obj)
                {
                    WithoutNulls(value);
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (Data is null)
        {
            output.SuppressOutput();
            return;
        }

        output.TagName = "script";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("type", "application/ld+json");
        // Dictionaries keep null values whatever the options say; schema.org readers want absent properties instead.
        var node = JsonSerializer.SerializeToNode(Data, Data.GetType(), Options);
        output.Content.SetHtmlContent(WithoutNulls(node)?.ToJsonString(Options) ?? "null");
    }
}
