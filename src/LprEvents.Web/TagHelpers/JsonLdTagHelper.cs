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
        output.Content.SetHtmlContent(JsonSerializer.Serialize(Data, Data.GetType(), Options));
    }
}
